import { copyFile, mkdir, readFile, writeFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { Sandbox } from '../sandbox/harness.js';
import type { AnchorBench } from './anchor-rows.js';
import { cpuSeconds } from './process-cpu.js';
import { exec, stats, type Stats } from './stats.js';
import { terragruntAnchor } from './terragrunt-anchor.js';
import type { Row } from './terraform-rows.js';

/** The unit the scratch trees copy, and where their roots go (beside the real root, so the module path still resolves). */
const repositoryUnit = 'platform/infra/terragrunt/us-east-1/ecr-public-repository';
const scratchRoots = 'platform/infra';

/**
 * A Terragrunt root of `count` copies of the repository unit, each with its own repository
 * name (its state key is its own path), in the bench's scratch project: never in the checkout.
 */
async function scratchTree(projectDir: string, count: number): Promise<string> {
  const infraDir = join(scratchRoots, `bench-scale-${count}`);
  const root = join(projectDir, infraDir);
  await mkdir(root, { recursive: true });
  await copyFile(join(projectDir, 'platform/infra/terragrunt/root.hcl'), join(root, 'root.hcl'));
  const hcl = await readFile(join(projectDir, repositoryUnit, 'terragrunt.hcl'), 'utf8');
  for (let i = 1; i <= count; i += 1) {
    const unit = join(root, 'us-east-1', `repository-${i}`);
    await mkdir(unit, { recursive: true });
    const named = hcl.replace('get_env("DEPLOY_REPOSITORY_NAME")', `"bench-scale/repository-${count}-${i}"`);
    if (named === hcl)
      throw new Error(`${repositoryUnit}/terragrunt.hcl no longer reads DEPLOY_REPOSITORY_NAME: update bench/scale-rows.ts`);
    await writeFile(join(unit, 'terragrunt.hcl'), named);
  }
  return infraDir;
}

/** One timed run, with the CPU seconds the sandbox's moto used meanwhile (one Python process: the suspect bottleneck). */
async function timed(sandbox: Sandbox, run: () => Promise<unknown>): Promise<{ ms: number; motoCpu: number }> {
  const pid = sandbox.moto.pid;
  const before = pid === undefined ? 0 : await cpuSeconds(pid);
  const started = performance.now();
  await run();
  const ms = performance.now() - started;
  return { ms, motoCpu: pid === undefined ? 0 : (await cpuSeconds(pid)) - before };
}

/** Runs ours and theirs in alternation after one untimed pair; medians, and moto's share of the wall time. */
async function pair(sandbox: Sandbox, runs: number, ours: () => Promise<unknown>, theirs: () => Promise<unknown>) {
  const samples = { ours: [] as number[], theirs: [] as number[], moto: [] as number[] };
  for (let i = 0; i <= runs; i += 1) {
    const a = await timed(sandbox, ours);
    const b = await timed(sandbox, theirs);
    if (i === 0) continue;
    samples.ours.push(a.ms);
    samples.theirs.push(b.ms);
    samples.moto.push(a.motoCpu / (a.ms / 1000));
  }
  return { ours: stats(samples.ours), theirs: stats(samples.theirs), motoShare: stats(samples.moto).median };
}

const ratio = (a: Stats, b: Stats): number => Math.round((a.median / b.median) * 100) / 100;
const perUnit = (s: Stats, count: number): number => Math.round(s.median / count);

/** Plan and drift over one scratch tree of `count` units, ours against terragrunt's run --all, same environment and parallelism. */
async function scaleRowsOf(b: AnchorBench, count: number, parallelism: number): Promise<{ rows: Row[]; planPerUnit: number }> {
  const infraDir = await scratchTree(b.projectDir, count);
  const extra = { DEPLOY_INFRA_DIR: infraDir, DEPLOY_STATE_BUCKET: `bench-scale-${count}`, DEPLOY_PARALLELISM: String(parallelism) };
  // The unit init initialises and output reports: a settings file's, since the environment's would conflict with --all.
  const settingsFile = join(b.projectDir, infraDir, 'bench.env');
  await writeFile(settingsFile, 'DEPLOY_UNIT=us-east-1/repository-1\n');
  const env = { ...b.env, ...extra, DEPLOY_ENV_FILE: settingsFile };
  const cli = (args: string[]) => exec(process.execPath, [b.cli, ...args], { cwd: b.projectDir, env });
  // The bucket, then every unit applied once: the plans below refresh real repositories and change nothing.
  await cli(['init']);
  await cli(['apply', '--all', '--yes']);
  const anchor = await terragruntAnchor(b.sandbox, b.projectDir, extra);
  const root = join(b.projectDir, infraDir);
  const runAll = async (terraformArgs: string[]): Promise<void> => {
    const common = ['--non-interactive', '--log-format', 'bare', '--no-color', '--parallelism', String(parallelism)];
    const args = ['run', '--all', ...common, '--working-dir', root, '--tf-path', anchor.bins.terraform, '--', ...terraformArgs];
    await exec(anchor.bins.terragrunt, args, { cwd: root, env: anchor.env });
  };
  const plan = await pair(
    b.sandbox,
    b.runs,
    () => cli(['plan', '--all']),
    () => runAll(['plan', '-input=false', '-out=bench.tfplan']),
  );
  // drift's two read-only plans per unit (against state alone, then refreshed), as terragrunt would run them.
  const drift = await pair(
    b.sandbox,
    b.runs,
    () => cli(['drift']),
    async () => {
      await runAll(['plan', '-input=false', '-lock=false', '-refresh=false']);
      await runAll(['plan', '-input=false', '-lock=false']);
    },
  );
  const note = (r: typeof plan): string =>
    `per unit: ours ${perUnit(r.ours, count)} ms, terragrunt ${perUnit(r.theirs, count)} ms; moto busy ${Math.round(r.motoShare * 100)}% of our wall time`;
  const target = count === 1 ? 'report' : 'ratio <= 1.0';
  return {
    planPerUnit: perUnit(plan.ours, count),
    rows: [
      {
        name: `scale, ${count} unit(s): npm run plan -- --all vs terragrunt run --all plan (parallelism ${parallelism})`,
        subject: plan.ours,
        baseline: plan.theirs,
        ratio: ratio(plan.ours, plan.theirs),
        target,
        note: note(plan),
      },
      {
        name: `scale, ${count} unit(s): npm run drift vs terragrunt run --all plan, -refresh=false then refreshed (parallelism ${parallelism})`,
        subject: drift.ours,
        baseline: drift.theirs,
        ratio: ratio(drift.ours, drift.theirs),
        target,
        note: note(drift),
      },
    ],
  };
}

/**
 * The scale rows: 1, 5 and 20 repository units (BENCH_SCALE_SIZES), each against terragrunt's
 * own run --all with the same parallelism (the number of cores), and how the time per unit
 * falls as the count grows: at 20, at most the time per unit at 1 / min(cores, 20) x 1.5.
 */
export async function scaleRows(b: AnchorBench, sizes: readonly number[]): Promise<Row[]> {
  const parallelism = availableParallelism();
  const rows: Row[] = [];
  const perUnit = new Map<number, number>();
  for (const count of sizes) {
    const measured = await scaleRowsOf(b, count, parallelism);
    rows.push(...measured.rows);
    perUnit.set(count, measured.planPerUnit);
  }
  const first = perUnit.get(sizes[0] ?? 1);
  const last = sizes.at(-1) ?? 1;
  const lastPerUnit = perUnit.get(last);
  // Growth needs two sizes: one size alone (BENCH_SCALE_SIZES=20) would be judged against itself.
  if (sizes.length > 1 && first !== undefined && lastPerUnit !== undefined) {
    const bound = Math.round((first / Math.min(parallelism, last)) * 1.5);
    rows.push({
      name: `scale: plan time per unit as the count grows (${sizes.map((s) => `${s}: ${perUnit.get(s) ?? '-'} ms`).join(', ')})`,
      target: `per unit at ${last} <= ${bound} ms (per unit at ${sizes[0] ?? 1} / min(cores, ${last}) x 1.5)`,
      note: lastPerUnit <= bound ? 'met' : `not met: ${lastPerUnit} ms`,
    });
  }
  return rows;
}
