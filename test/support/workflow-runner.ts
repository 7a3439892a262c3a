import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { parse } from 'yaml';
import { assertNoSecrets } from './cli.js';
import { parseGithubOutput } from './github-files.js';

interface Step {
  name?: string;
  id?: string;
  if?: string;
  uses?: string;
  run?: string;
  shell?: string;
  'working-directory'?: string;
  with?: Record<string, unknown>;
  env?: Record<string, string>;
}

interface Workflow {
  env?: Record<string, string>;
  defaults?: { run?: { shell?: string } };
  jobs: Record<string, { env?: Record<string, string>; steps?: Step[] }>;
}

export interface StepRun {
  job: string;
  step: string;
  code: number | null;
  log: string;
  outputs: Record<string, string>;
}

export interface JobRun {
  steps: StepRun[];
  /** What the job's steps appended to $GITHUB_STEP_SUMMARY. */
  summary: string;
  /** The environment the job's steps ran with (the workflow's and the job's `env:` applied). */
  env: Record<string, string>;
  /** The paths the job's actions/cache steps would save at its end. */
  cachedPaths: string[];
}

export interface RunnerOptions {
  /** The checkout: the project copy the steps run in (github.workspace). */
  cwd: string;
  /** The runner's environment before the workflow's: PATH, HOME, and the sandbox's credentials (configure-aws-credentials). */
  env: Record<string, string>;
  /** The binaries the install action would put on PATH. */
  tools: { terraform: string; terragrunt: string };
  /** The repository variables (`vars.*`); an unset one is empty, as on GitHub. */
  vars?: Record<string, string>;
  /** The `github.*` context, e.g. sha, workspace (cwd unless given), repository, run_id, server_url. */
  github?: Record<string, string>;
}

/**
 * The actions the workflows use, and what this runner does in their place; a step that uses
 * any other action stops the run, so a new one is thought about here rather than skipped.
 */
const standIns: Readonly<Record<string, string>> = {
  'actions/checkout': 'the project copy is the checkout',
  'asdf-vm/actions/install': 'terraform and terragrunt first on PATH (options.tools); Node is the one running the tests',
  'actions/cache': 'nothing is restored (a cold run); the path is reported in JobRun.cachedPaths',
  'aws-actions/configure-aws-credentials': "the sandbox's credentials, in options.env",
  'actions/upload-artifact': "the plan job's files stay in the project copy",
  'actions/download-artifact': 'the apply job runs in the same project copy, where the plan job left its files',
  'actions/github-script': 'not run: the scripts it imports are unit-tested (test/unit/plan-summary, drift-issues)',
};

/** Steps that prepare a runner: node_modules is linked into the project copy already. */
const setup = /^npm ci$/;

interface Contexts {
  vars: Record<string, string>;
  github: Record<string, string>;
  env: Record<string, string>;
  steps: Map<string, Record<string, string>>;
}

/** `${{ <context>.<name> }}` as GitHub fills it, for the contexts the workflows use in values; anything else stops the run. */
function expand(value: string, c: Contexts): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (step) return c.steps.get(step[1] ?? '')?.[step[2] ?? ''] ?? '';
    const named = /^(vars|github|env)\.([\w.]+)$/.exec(expr);
    if (named?.[1] !== undefined && named[2] !== undefined) return c[named[1] as 'vars' | 'github' | 'env'][named[2]] ?? '';
    throw new Error(`the workflow runner cannot expand \${{ ${expr} }}`);
  });
}

function expandAll(values: Record<string, string> | undefined, c: Contexts): Record<string, string> {
  return Object.fromEntries(Object.entries(values ?? {}).map(([k, v]) => [k, expand(String(v), c)]));
}

/** A `uses:` step: checked against the stand-ins; a cache step's path is noted. */
function standIn(step: Step, c: Contexts, cachedPaths: string[]): void {
  const action = (step.uses ?? '').split('@')[0] ?? '';
  if (standIns[action] === undefined) throw new Error(`the workflow runner has no stand-in for ${action}: add one to standIns`);
  const path = step.with?.path;
  if (action === 'actions/cache') cachedPaths.push(expand(typeof path === 'string' ? path : '', c));
}

/** One `run:` step under bash as GitHub runs it (`bash --noprofile --norc -eo pipefail`), its outputs read afterwards. */
async function runStep(
  script: string,
  cwd: string,
  env: Record<string, string>,
  outputFile: string,
): Promise<{ code: number | null; log: string; outputs: Record<string, string> }> {
  await writeFile(outputFile, '');
  const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', script], {
    cwd,
    env: { ...env, GITHUB_OUTPUT: outputFile },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  child.stdout.on('data', (chunk: Buffer) => (log += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, log, outputs: parseGithubOutput(await readFile(outputFile, 'utf8')) };
}

/** A `run:` step this runner can run as GitHub would: bash, in the checkout, unconditionally. */
function checkRunnable(step: Step, workflow: Workflow): void {
  const shell = step.shell ?? workflow.defaults?.run?.shell;
  if (shell !== 'bash') throw new Error(`the workflow runner runs bash steps only, not ${shell ?? 'the default shell'}: ${step.run ?? ''}`);
  if (step.if !== undefined || step['working-directory'] !== undefined)
    throw new Error(`the workflow runner cannot evaluate if: or working-directory: (${step.run ?? ''})`);
}

/** The contexts and the environment every step of the job starts from, as the runner sets them up. */
function jobSetup(
  workflow: Workflow,
  job: string,
  options: RunnerOptions,
  summaryFile: string,
): { c: Contexts; env: Record<string, string> } {
  const github: Record<string, string> = { workspace: options.cwd, ...options.github };
  const c: Contexts = { vars: options.vars ?? {}, github, env: {}, steps: new Map() };
  c.env = expandAll(workflow.env, c);
  c.env = { ...c.env, ...expandAll(workflow.jobs[job]?.env, c) };
  const fromGithub = ['sha', 'repository', 'run_id', 'server_url'].flatMap((k): Array<[string, string]> => {
    const value = github[k];
    return value ? [[`GITHUB_${k.toUpperCase()}`, value]] : [];
  });
  const env = {
    ...options.env,
    PATH: [dirname(options.tools.terraform), dirname(options.tools.terragrunt), options.env.PATH ?? ''].join(delimiter),
    CI: 'true',
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: options.cwd,
    GITHUB_STEP_SUMMARY: summaryFile,
    ...Object.fromEntries(fromGithub),
    ...c.env,
  };
  return { c, env };
}

/**
 * Runs one job's steps in order, as a GitHub runner does: the workflow's and the job's `env:`
 * (with `vars` and `github` filled in), a fresh $GITHUB_OUTPUT per step, one
 * $GITHUB_STEP_SUMMARY per job, each `run:` under bash. `uses:` steps are GitHub's: the runner
 * provides what each would (standIns). Stops at the first failing step, as GitHub does.
 */
export async function runJob(workflowFile: string, job: string, options: RunnerOptions): Promise<JobRun> {
  const workflow = parse(await readFile(workflowFile, 'utf8')) as Workflow;
  const steps = workflow.jobs[job]?.steps;
  if (!steps) throw new Error(`${workflowFile} has no job ${job}`);
  const scratch = await mkdtemp(join(tmpdir(), 'workflow-'));
  try {
    const summaryFile = join(scratch, 'step-summary.md');
    await writeFile(summaryFile, '');
    const { c, env } = jobSetup(workflow, job, options, summaryFile);
    const runs: StepRun[] = [];
    const cachedPaths: string[] = [];
    for (const [index, step] of steps.entries()) {
      if (step.run === undefined) {
        standIn(step, c, cachedPaths);
        continue;
      }
      checkRunnable(step, workflow);
      if (setup.test(step.run.trim())) continue;
      const { code, log, outputs } = await runStep(
        step.run,
        options.cwd,
        { ...env, ...expandAll(step.env, c) },
        join(scratch, `output-${index}`),
      );
      assertNoSecrets(log, `${job}: ${step.name ?? step.run}`);
      if (step.id !== undefined) c.steps.set(step.id, outputs);
      runs.push({ job, step: step.name ?? step.run, code, log, outputs });
      if (code !== 0) break;
    }
    return { steps: runs, summary: await readFile(summaryFile, 'utf8'), env, cachedPaths };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
