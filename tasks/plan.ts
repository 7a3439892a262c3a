import type { Config } from '../lib/config/load.js';
import type { TaskContext } from '../lib/context.js';
import { prepareDeploy } from '../lib/deploy-context.js';
import { ExitCode } from '../lib/errors.js';
import { planPaths, recordPlan } from '../lib/terragrunt/saved-plan.js';
import { invokeTerragrunt } from '../lib/terragrunt/invoke.js';

export interface PlanOptions {
  config: Config;
  color: boolean;
  /** Keep Terraform's meaning: 0 no changes, 2 changes (for drift checks in CI). */
  detailedExitCode: boolean;
}

/** Plans into a file next to the unit, so apply can apply exactly what was reviewed. */
export async function run(opts: PlanOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const paths = planPaths(dc.unitDir);
  // Always asked for internally: apply must know whether the saved plan changes anything.
  const result = await invokeTerragrunt(
    dc,
    ctx,
    { kind: 'plan', planFile: paths.planFile, detailedExitCode: true, destroy: false },
    { color: opts.color, acceptExitCodes: [2] },
  );
  if (result.interrupted) return ExitCode.interrupted;
  await recordPlan(dc, ctx.projectDir, result.exitCode === 2);
  ctx.log.info(`Plan saved to ${paths.planFile}; npm run apply applies it while it is current.`);
  return opts.detailedExitCode ? result.exitCode : ExitCode.ok;
}
