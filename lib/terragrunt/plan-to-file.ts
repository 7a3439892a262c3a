import type { TaskContext } from '../core/context.js';
import type { TerragruntContext } from './context.js';
import { invokeTerragrunt } from './invoke.js';
import { checkWithChanges, planFileChanges } from './plan-changes.js';
import { discardPlan, planPaths, recordPlan } from './saved-plan.js';

export type PlanOutcome = 'changes' | 'no-changes' | 'interrupted';

/**
 * Plans into the unit's plan file and records what it was made from and whether it changes
 * anything (-detailed-exitcode is always asked for internally): plan and apply share this.
 */
export async function planToFile(dc: TerragruntContext, ctx: TaskContext): Promise<PlanOutcome> {
  return (await planWithSummary(dc, ctx)).outcome;
}

/** planToFile, and the plan's change summary (for the table of a run over every unit). */
export async function planWithSummary(dc: TerragruntContext, ctx: TaskContext): Promise<{ outcome: PlanOutcome; changes: string }> {
  const planFile = planPaths(dc.unitDir).planFile;
  const result = await invokeTerragrunt(dc, ctx, { kind: 'plan', planFile, detailedExitCode: true }, { acceptExitCodes: [2] });
  if (result.interrupted) return { outcome: 'interrupted', changes: '-' };
  const changes = result.exitCode === 2;
  const summary = changes ? await planFileChanges(dc, ctx, planFile) : '0';
  // Stopped while the plan was read: the plan file stays unrecorded, so it is never applied.
  if (ctx.signal.aborted) return { outcome: 'interrupted', changes: '-' };
  await recordPlan(dc, ctx.projectDir, changes, summary);
  return { outcome: changes ? 'changes' : 'no-changes', changes: summary };
}

/**
 * A plan that takes no state lock (-lock=false), for a role that may not write the lock
 * object. It saves no plan file (and discards any the unit had): a plan made without the lock
 * is never applied. It records what was reviewed instead, its change summary, so that
 * `apply --saved-plans-only` plans again under the lock and applies only those changes.
 */
export async function planWithoutLock(dc: TerragruntContext, ctx: TaskContext): Promise<{ outcome: PlanOutcome; changes: string }> {
  await discardPlan(dc.unitDir);
  const { result, changes } = await checkWithChanges(dc, ctx, true);
  if (result.interrupted || ctx.signal.aborted) return { outcome: 'interrupted', changes: '-' };
  await recordPlan(dc, ctx.projectDir, result.exitCode === 2, changes, false);
  return { outcome: result.exitCode === 2 ? 'changes' : 'no-changes', changes };
}
