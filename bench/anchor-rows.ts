import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { loadConfig } from '../lib/config/load.js';
import { unitDirectory } from '../lib/deploy/prepare.js';
import { isQueryApi } from '../sandbox/aws-requests.js';
import type { Sandbox } from '../sandbox/harness.js';
import { terragruntAnchor, type Anchor } from './terragrunt-anchor.js';
import { exec, stats, type Stats } from './stats.js';
import type { Row } from './terraform-rows.js';

/** S3 traffic of one run, as the sandbox proxy saw it (STS and IAM excluded; lock-file traffic excluded from writes). */
interface Traffic {
  requests: number;
  writes: number;
}

function traffic(sandbox: Sandbox): Traffic {
  const s3 = sandbox.awsProxy.requests().filter((r) => !isQueryApi(r.method, r.path));
  return { requests: s3.length, writes: s3.filter((r) => r.write && !r.path.includes('.tflock')).length };
}

/** Times `run` `runs` times, each after an untimed `setup`; keeps the S3 traffic of the last run. */
async function measureRuns(sandbox: Sandbox, runs: number, setup: (i: number) => Promise<void>, run: (i: number) => Promise<unknown>) {
  const samples: number[] = [];
  let seen: Traffic = { requests: 0, writes: 0 };
  for (let i = 0; i < runs; i += 1) {
    await setup(i);
    sandbox.awsProxy.resetRequestLog();
    const started = performance.now();
    await run(i);
    samples.push(performance.now() - started);
    seen = traffic(sandbox);
  }
  return { stats: stats(samples), traffic: seen };
}

const noSetup = (): Promise<void> => Promise.resolve();

const ratio = (a: Stats, b: Stats): number => Math.round((a.median / b.median) * 100) / 100;

export interface AnchorBench {
  sandbox: Sandbox;
  /** A scratch copy of the project (its own .terragrunt-cache and plan files). */
  projectDir: string;
  cli: string;
  runs: number;
  env: NodeJS.ProcessEnv;
}

/** Forgets the unit's terragrunt working copy, as a fresh checkout has none (a new bucket would otherwise be a changed backend). */
export function freshUnit(b: AnchorBench): Promise<void> {
  return rm(join(unitDirectory(loadConfig({}, b.env), b.projectDir), '.terragrunt-cache'), { recursive: true, force: true });
}

/** First deploy of the state backend, on a fresh bucket each run: npm run init against terragrunt backend bootstrap + terragrunt init. */
export async function firstDeployRow(b: AnchorBench): Promise<Row> {
  const anchors: Anchor[] = [];
  for (let i = 0; i < b.runs; i += 1)
    anchors.push(await terragruntAnchor(b.sandbox, b.projectDir, { DEPLOY_STATE_BUCKET: `bench-first-tg-${i}` }));
  const ours = await measureRuns(
    b.sandbox,
    b.runs,
    () => freshUnit(b),
    (i) => exec(process.execPath, [b.cli, 'init'], { cwd: b.projectDir, env: { ...b.env, DEPLOY_STATE_BUCKET: `bench-first-ours-${i}` } }),
  );
  const theirs = await measureRuns(
    b.sandbox,
    b.runs,
    () => freshUnit(b),
    async (i) => {
      const anchor = anchors[i] as Anchor;
      for (const run of [await anchor.bootstrap(), await anchor.terragrunt('init', ['-input=false'])])
        if (run.exitCode !== 0) throw new Error(`terragrunt anchor failed:\n${run.output.slice(-800)}`);
    },
  );
  return {
    name: 'first deploy of the state backend: npm run init vs terragrunt backend bootstrap + terragrunt init (fresh bucket)',
    subject: ours.stats,
    baseline: theirs.stats,
    ratio: ratio(ours.stats, theirs.stats),
    target: 'report',
    note: `S3 requests/writes: ours ${ours.traffic.requests}/${ours.traffic.writes}, terragrunt ${theirs.traffic.requests}/${theirs.traffic.writes}`,
  };
}

/** A repeat npm run init on a converged bucket: what it reads and (goal) writes nothing. */
export async function repeatInitRow(b: AnchorBench, bucket: string): Promise<Row> {
  const env = { ...b.env, DEPLOY_STATE_BUCKET: bucket };
  const again = await measureRuns(b.sandbox, b.runs, noSetup, () => exec(process.execPath, [b.cli, 'init'], { cwd: b.projectDir, env }));
  return {
    name: 'repeat npm run init on a converged bucket',
    subject: again.stats,
    target: '0 writes',
    note: `${again.traffic.requests} S3 requests, ${again.traffic.writes} writes`,
  };
}

/**
 * The seed's Makefile plan target, step by step as it chained them: tool presence
 * checks, an STS identity call, terragrunt init, terragrunt plan. Against npm run plan,
 * both planning the same applied unit (no changes).
 */
export async function makefilePlanRow(b: AnchorBench, bucket: string): Promise<Row> {
  const name = 'plan: npm run plan vs the Makefile flow (tool checks, aws sts get-caller-identity, terragrunt init, terragrunt plan)';
  const anchor = await terragruntAnchor(b.sandbox, b.projectDir, { DEPLOY_STATE_BUCKET: bucket });
  const env = { ...b.env, DEPLOY_STATE_BUCKET: bucket };
  const aws = await exec('aws', ['--version'], { env, anyExit: true }).catch(() => null);
  if (aws !== 0)
    return {
      name,
      target: 'report',
      note: 'not measured: the aws CLI (the Makefile flow calls aws sts get-caller-identity) is not installed',
    };
  const planFile = join(anchor.unitDir, 'makefile.tfplan');
  const makefile = async (): Promise<void> => {
    await exec(anchor.bins.terraform, ['version'], { env: anchor.env });
    await exec(anchor.bins.terragrunt, ['--version'], { env: anchor.env });
    // The profile's region, as the Makefile's `aws` calls had it.
    await exec('aws', ['sts', 'get-caller-identity'], { env: { ...anchor.env, AWS_DEFAULT_REGION: 'us-east-1' } });
    for (const run of [
      await anchor.terragrunt('init', ['-input=false']),
      await anchor.terragrunt('plan', ['-input=false', `-out=${planFile}`]),
    ])
      if (run.exitCode !== 0) throw new Error(`Makefile flow failed:\n${run.output.slice(-800)}`);
  };
  const ours = await measureRuns(b.sandbox, b.runs, noSetup, () => exec(process.execPath, [b.cli, 'plan'], { cwd: b.projectDir, env }));
  const theirs = await measureRuns(b.sandbox, b.runs, noSetup, makefile);
  return { name, subject: ours.stats, baseline: theirs.stats, ratio: ratio(ours.stats, theirs.stats), target: 'ratio < 1' };
}
