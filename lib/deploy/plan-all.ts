import type { TaskContext } from '../core/context.js';
import { ExitCode } from '../core/errors.js';
import { planWithoutLock, planWithSummary } from '../terragrunt/plan-to-file.js';
import { exitCodeOf, forEachUnit, summaryTable } from './all.js';
import { unlockedPlanNote, type PlanOptions } from './plan.js';
import { prepareDeploy } from './prepare.js';
import { findUnits, unitContext } from './units.js';

/** `plan --all`: every unit in dependency order, each into its own saved plan (none with --no-lock), then the table. */
export async function planAll(opts: PlanOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const units = await findUnits(dc, ctx, 'plan');
  let changed = false;
  const results = await forEachUnit(units, ctx, async (unit) => {
    const udc = unitContext(dc, unit);
    const { outcome, changes } = opts.lock ? await planWithSummary(udc, ctx) : await planWithoutLock(udc, ctx);
    ctx.signal.throwIfAborted();
    changed ||= outcome === 'changes';
    return { result: outcome === 'changes' ? 'planned' : 'no changes', changes };
  });
  ctx.log.info(`\n${summaryTable(results)}`);
  if (ctx.signal.aborted) return ExitCode.interrupted;
  const code = exitCodeOf(results);
  if (code !== ExitCode.ok) return code;
  ctx.log.info(opts.lock ? 'Plans saved next to each unit; npm run apply -- --all applies them while they are current.' : unlockedPlanNote);
  return opts.detailedExitCode && changed ? ExitCode.planChanges : ExitCode.ok;
}
