import type { Config } from '../../lib/config/load.js';
import type { TaskContext } from '../../lib/core/context.js';
import { prepareDeploy } from '../../lib/deploy/prepare.js';
import { ExitCode } from '../../lib/core/errors.js';
import { planToFile, planWithoutLock } from '../../lib/terragrunt/plan-to-file.js';
import { planPaths } from '../../lib/terragrunt/saved-plan.js';

export interface PlanOptions {
  config: Config;
  /** Keep Terraform's meaning: 0 no changes, 2 changes (for drift checks in CI). */
  detailedExitCode: boolean;
  /** Take the state lock and save the plan (default). false (--no-lock): -lock=false, and no plan is saved. */
  lock: boolean;
}

/** What a run without the lock leaves behind, said once. */
export const unlockedPlanNote =
  'Planned without the state lock (--no-lock): no plan was saved, only what it changes; npm run apply plans again under the lock (with --saved-plans-only it applies only the changes reviewed here).';

/** Plans into a file next to the unit, so apply can apply exactly what was reviewed; with --no-lock, plans read-only. */
export async function planUnit(opts: PlanOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const outcome = opts.lock ? await planToFile(dc, ctx) : (await planWithoutLock(dc, ctx)).outcome;
  if (outcome === 'interrupted') return ExitCode.interrupted;
  ctx.log.info(
    opts.lock ? `Plan saved to ${planPaths(dc.unitDir).planFile}; npm run apply applies it while it is current.` : unlockedPlanNote,
  );
  // Terraform's meaning of -detailed-exitcode: 2 when the plan has changes.
  return opts.detailedExitCode && outcome === 'changes' ? ExitCode.planChanges : ExitCode.ok;
}
