import type { Logger } from '../core/log.js';
import { runTool } from '../core/run-tool.js';
import type { LintStep } from './steps.js';

export interface StepResult {
  name: string;
  ok: boolean;
  detail: string;
}

async function runStep(step: LintStep, env: NodeJS.ProcessEnv): Promise<StepResult> {
  if (step.unavailable) return { name: step.name, ok: false, detail: `cannot run: ${step.unavailable}` };
  if (step.findings) {
    const findings = await step.findings();
    return { name: step.name, ok: findings.length === 0, detail: findings.join('\n') };
  }
  const result = await runTool(step.bin, step.args, { cwd: step.cwd, env: { ...env, ...step.env } });
  return { name: step.name, ok: result.exitCode === 0, detail: result.output.trim() };
}

/** Runs every step one after another (they share the CPU anyway), printing each result and the findings of failures. */
export async function runSteps(steps: LintStep[], env: NodeJS.ProcessEnv, log: Logger): Promise<StepResult[]> {
  const results: StepResult[] = [];
  for (const step of steps) {
    const result = await runStep(step, env);
    results.push(result);
    log.info(`${result.ok ? log.paint('green', 'ok  ') : log.paint('red', 'FAIL')}  ${step.name}`);
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
