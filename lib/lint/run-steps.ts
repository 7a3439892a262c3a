import { spawn } from 'node:child_process';
import { once } from 'node:events';
import type { Logger } from '../log.js';
import { paint } from '../log.js';
import type { LintStep } from './steps.js';

export interface StepResult {
  name: string;
  ok: boolean;
  detail: string;
}

async function runStep(step: LintStep, env: NodeJS.ProcessEnv): Promise<StepResult> {
  if (step.unavailable) return { name: step.name, ok: false, detail: `cannot run: ${step.unavailable}` };
  const child = spawn(step.bin, step.args, { cwd: step.cwd, env: { ...env, ...step.env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr.on('data', (c: Buffer) => (output += c.toString()));
  const spawnError = once(child, 'error').then(([error]) => error as Error);
  const closed = once(child, 'close').then(([code]) => code as number | null);
  const first = await Promise.race([spawnError, closed]);
  if (first instanceof Error) return { name: step.name, ok: false, detail: `cannot start ${step.bin}: ${first.message}` };
  return { name: step.name, ok: first === 0, detail: output.trim() };
}

/** Runs every step one after another (they share the CPU anyway), printing each result and the findings of failures. */
export async function runSteps(steps: LintStep[], env: NodeJS.ProcessEnv, log: Logger, color: boolean): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const result = await runStep(step, env);
    results.push(result);
    log.info(`${result.ok ? paint(color, 'green', 'ok  ') : paint(color, 'red', 'FAIL')}  ${step.name}`);
    if (!result.ok && result.detail)
      log.info(
        result.detail
          .split('\n')
          .map((l) => `      ${l}`)
          .join('\n'),
      );
  }
  return results;
}
