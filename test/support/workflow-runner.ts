import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { assertNoSecrets } from './cli.js';

interface Step {
  name?: string;
  id?: string;
  run?: string;
  env?: Record<string, string>;
}

interface Workflow {
  jobs: Record<string, { steps?: Step[] }>;
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
}

/** Steps that prepare a runner (dependencies, the pinned tools): the test machine has both already. */
const setup = /^npm (ci|run tools\b)/;

/** $GITHUB_OUTPUT as GitHub reads it: `key=value` lines and `key<<DELIMITER` blocks. */
function parseOutputs(text: string): Record<string, string> {
  const outputs: Record<string, string> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i += 1) {
    const line = lines[i] ?? '';
    const block = /^([^=<]+)<<(.+)$/.exec(line);
    if (block) {
      const end = lines.indexOf(block[2] ?? '', i + 1);
      outputs[block[1] ?? ''] = lines.slice(i + 1, end).join('\n');
      i = end;
    } else if (line.includes('=')) {
      outputs[line.slice(0, line.indexOf('='))] = line.slice(line.indexOf('=') + 1);
    }
  }
  return outputs;
}

/** `${{ steps.<id>.outputs.<name> }}` and `${{ github.<name> }}` in a step's env, as the runner fills them. */
function expand(value: string, outputs: Map<string, Record<string, string>>, github: Record<string, string>): string {
  return value.replace(/\$\{\{\s*([^}]+?)\s*\}\}/g, (_m, expr: string) => {
    const step = /^steps\.([\w-]+)\.outputs\.([\w-]+)$/.exec(expr);
    if (step) return outputs.get(step[1] ?? '')?.[step[2] ?? ''] ?? '';
    const context = /^github\.([\w.]+)$/.exec(expr);
    if (context) return github[context[1] ?? ''] ?? '';
    throw new Error(`the workflow runner cannot expand \${{ ${expr} }}`);
  });
}

/**
 * Runs one job's `run:` steps in order, as a GitHub runner does (bash -eo pipefail, a fresh
 * $GITHUB_OUTPUT per step, one $GITHUB_STEP_SUMMARY per job), in `cwd` with `env`. Steps that
 * only prepare a runner are left out; `uses:` steps (checkout, caches, credentials, artifacts,
 * comments) are GitHub's and not run here. Stops at the first failing step, as GitHub does.
 */
export async function runJob(
  workflowFile: string,
  job: string,
  cwd: string,
  env: Record<string, string>,
  github: Record<string, string> = {},
): Promise<JobRun> {
  const workflow = parse(await readFile(workflowFile, 'utf8')) as Workflow;
  const steps = workflow.jobs[job]?.steps;
  if (!steps) throw new Error(`${workflowFile} has no job ${job}`);
  const scratch = await mkdtemp(join(tmpdir(), 'workflow-'));
  const summaryFile = join(scratch, 'step-summary.md');
  await writeFile(summaryFile, '');
  const outputs = new Map<string, Record<string, string>>();
  const runs: StepRun[] = [];
  for (const [index, step] of steps.entries()) {
    if (step.run === undefined || setup.test(step.run.trim())) continue;
    const outputFile = join(scratch, `output-${index}`);
    await writeFile(outputFile, '');
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(v, outputs, github)]));
    const child = spawn('bash', ['--noprofile', '--norc', '-eo', 'pipefail', '-c', step.run], {
      cwd,
      env: { ...env, ...stepEnv, GITHUB_OUTPUT: outputFile, GITHUB_STEP_SUMMARY: summaryFile, CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let log = '';
    child.stdout.on('data', (c: Buffer) => (log += c.toString()));
    child.stderr.on('data', (c: Buffer) => (log += c.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    assertNoSecrets(log, `${job}: ${step.name ?? step.run}`);
    const written = parseOutputs(await readFile(outputFile, 'utf8'));
    if (step.id !== undefined) outputs.set(step.id, written);
    runs.push({ job, step: step.name ?? step.run.split('\n')[0] ?? '', code, log, outputs: written });
    if (code !== 0) break;
  }
  return { steps: runs, summary: await readFile(summaryFile, 'utf8') };
}
