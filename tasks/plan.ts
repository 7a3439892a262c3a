import type { Config } from '../lib/config/load.js';
import type { TaskContext } from '../lib/context.js';
import { prepareDeploy } from '../lib/deploy-context.js';
import { ExitCode } from '../lib/errors.js';
import { planToFile } from '../lib/terragrunt/plan-to-file.js';
import { planPaths } from '../lib/terragrunt/saved-plan.js';

export interface PlanOptions {
  config: Config;
  color: boolean;
  /** Keep Terraform's meaning: 0 no changes, 2 changes (for drift checks in CI). */
  detailedExitCode: boolean;
}

/** Plans into a file next to the unit, so apply can apply exactly what was reviewed. */
export async function run(opts: PlanOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const outcome = await planToFile(dc, ctx, opts.color);
  if (outcome === 'interrupted') return ExitCode.interrupted;
  ctx.log.info(`Plan saved to ${planPaths(dc.unitDir).planFile}; npm run apply applies it while it is current.`);
  // Terraform's meaning of -detailed-exitcode: 2 when the plan has changes.
  return opts.detailedExitCode && outcome === 'changes' ? ExitCode.planChanges : ExitCode.ok;
}
