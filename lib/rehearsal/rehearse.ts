import { loadConfig, type Overrides } from '../config/load.js';
import type { TaskContext } from '../core/context.js';
import { ExitCode } from '../core/errors.js';
import { applyUnit } from '../deploy/apply.js';
import { initUnit } from '../deploy/init.js';
import { showOutputs } from '../deploy/output.js';
import { planUnit } from '../deploy/plan.js';
import { doctorReport } from '../doctor/report.js';

/**
 * The lifecycle an operator runs against AWS (doctor, init, plan, apply, output), run in
 * this process with `env` pointing the tasks at a local AWS. Stops at the first failing
 * step; doctor runs before init, so "no state bucket yet" is expected there: it reports.
 */
export async function rehearseLifecycle(ctx: TaskContext, env: Readonly<Record<string, string>>, overrides: Overrides): Promise<number> {
  const sctx: TaskContext = { ...ctx, env: { ...ctx.env, ...env } };
  const config = loadConfig(overrides, sctx.env);
  const steps: Array<[string, () => Promise<number>]> = [
    ['doctor', () => doctorReport({ overrides, json: false, strict: false }, sctx)],
    ['init', () => initUnit({ config }, sctx)],
    ['plan', () => planUnit({ config, detailedExitCode: false }, sctx)],
    ['apply', () => applyUnit({ config, yes: true }, sctx)],
    ['output', () => showOutputs({ config, format: 'text' }, sctx)],
  ];
  for (const [name, step] of steps) {
    ctx.log.info(`\n=== npm run ${name} (sandbox) ===`);
    const code = await step();
    if (code !== 0 && name !== 'doctor') return code;
  }
  return ExitCode.ok;
}
