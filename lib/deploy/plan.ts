import type { Config } from '../config/load.js';
import type { TaskContext } from '../core/context.js';
import { prepareDeploy } from './prepare.js';
import { ExitCode } from '../core/errors.js';
import { planToFile } from '../terragrunt/plan-to-file.js';
import { planPaths } from '../terragrunt/saved-plan.js';

export interface PlanOptions {
  config: Config;
  /** Keep Terraform's meaning: 0 no changes, 2 changes (for drift checks in CI). */
  detailedExitCode: boolean;
}

/** Plans into a file next to the unit, so apply can apply exactly what was reviewed. */
export async function planUnit(opts: PlanOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const outcome = await planToFile(dc, ctx);
  if (outcome === 'interrupted') return ExitCode.interrupted;
  ctx.log.info(`Plan saved to ${planPaths(dc.unitDir).planFile}; npm run apply applies it while it is current.`);
  // Terraform's meaning of -detailed-exitcode: 2 when the plan has changes.
  return opts.detailedExitCode && outcome === 'changes' ? ExitCode.planChanges : ExitCode.ok;
}
