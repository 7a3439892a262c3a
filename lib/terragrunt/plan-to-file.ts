import type { TaskContext } from '../core/context.js';
import type { DeployContext } from '../deploy/prepare.js';
import { invokeTerragrunt } from './invoke.js';
import { planPaths, recordPlan } from './saved-plan.js';

export type PlanOutcome = 'changes' | 'no-changes' | 'interrupted';

/**
 * Plans into the unit's plan file and records what it was made from and whether it changes
 * anything (-detailed-exitcode is always asked for internally): plan and apply share this.
 */
export async function planToFile(dc: DeployContext, ctx: TaskContext): Promise<PlanOutcome> {
  const planFile = planPaths(dc.unitDir).planFile;
  const result = await invokeTerragrunt(dc, ctx, { kind: 'plan', planFile, detailedExitCode: true }, { acceptExitCodes: [2] });
  if (result.interrupted) return 'interrupted';
  const changes = result.exitCode === 2;
  await recordPlan(dc, ctx.projectDir, changes);
  return changes ? 'changes' : 'no-changes';
}
