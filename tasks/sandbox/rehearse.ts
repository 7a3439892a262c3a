import { loadConfig, type Overrides } from '../../lib/config/load.js';
import type { TaskContext } from '../../lib/core/context.js';
import { ExitCode } from '../../lib/core/errors.js';
import { applyAll } from '../apply/all.js';
import { applyUnit } from '../apply/single.js';
import { run as initUnit } from '../init.js';
import { showAllOutputs } from '../output/all.js';
import { planAll } from '../plan/all.js';
import { run as doctorReport } from '../doctor.js';

/**
 * The lifecycle an operator runs against AWS (doctor, init, the CI roles' unit with --unit,
 * then plan, apply, output and doctor over every other unit with --all), run in
 * this process with `env` pointing the tasks at a local AWS. Stops at the first failing
 * step; doctor runs before init, so "no state bucket yet" is expected there: it reports.
 */
export async function rehearseLifecycle(ctx: TaskContext, env: Readonly<Record<string, string>>, overrides: Overrides): Promise<number> {
  const sctx: TaskContext = { ...ctx, env: { ...ctx.env, ...env } };
  const config = loadConfig(overrides, sctx.env);
  const steps: Array<[string, () => Promise<number>]> = [
    ['doctor', () => doctorReport({ overrides, json: false, strict: false, all: false }, sctx)],
    ['init', () => initUnit({ config }, sctx)],
    // The operator's own unit first: the CI roles, the push role's boundary, the OIDC provider.
    [`apply -- --unit ${config.ciRolesUnit} --yes`, () => applyUnit({ config: { ...config, unit: config.ciRolesUnit }, yes: true }, sctx)],
    ['plan -- --all', () => planAll({ config, detailedExitCode: false, lock: true }, sctx)],
    ['apply -- --all --yes', () => applyAll({ config, yes: true, savedPlansOnly: false }, sctx)],
    ['output -- --all', () => showAllOutputs({ config, format: 'text' }, sctx)],
    ['doctor -- --all', () => doctorReport({ overrides, json: false, strict: false, all: true }, sctx)],
  ];
  for (const [name, step] of steps) {
    ctx.log.info(`\n=== npm run ${name} (sandbox) ===`);
    const code = await step();
    // The first doctor runs before init, so "no state bucket yet" is expected there: it reports.
    if (code !== 0 && name !== 'doctor') return code;
  }
  return ExitCode.ok;
}
