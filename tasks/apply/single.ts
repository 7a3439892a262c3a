import type { Config } from '../../lib/config/load.js';
import type { TaskContext } from '../../lib/core/context.js';
import { assertSessionRunway } from '../../lib/deploy/session-runway.js';
import { prepareDeploy, type DeployContext } from '../../lib/deploy/prepare.js';
import { ExitCode, TaskError } from '../../lib/core/errors.js';
import { confirm } from '../../lib/core/prompt.js';
import { formatOutputs } from '../../lib/deploy/outputs.js';
import { readVerifiedUnit } from '../../lib/deploy/unit-kinds.js';
import { planToFile } from '../../lib/terragrunt/plan-to-file.js';
import { discardPlan, planPaths, savedPlan } from '../../lib/terragrunt/saved-plan.js';
import { invokeTerragrunt } from '../../lib/terragrunt/invoke.js';

export interface ApplyOptions {
  config: Config;
  /** Approve without asking (automation). Without a terminal and without --yes, apply refuses. */
  yes: boolean;
}

/**
 * Under --yes a stale saved plan is refused, not replaced: the operator reviewed that plan, and
 * a fresh one made from other inputs (another branch, another account's settings) was never seen.
 */
function stalePlan(dc: DeployContext, changed: readonly string[]): TaskError {
  return new TaskError(
    `The saved plan ${planPaths(dc.unitDir).planFile} was made from other inputs: ${changed.join(', ')} changed since. With --yes it is not applied, nor a fresh plan in its place; nothing was changed.`,
    {
      code: 'PLAN_STALE',
      hint: `Plan again with the settings you mean to apply (npm run plan -- --unit ${dc.config.unit}), review it, then npm run apply -- --unit ${dc.config.unit} --yes; or run apply without --yes to review a fresh plan at the prompt.`,
    },
  );
}

/** Makes sure a reviewed plan exists: the saved one when current, else a fresh plan shown now. */
async function ensurePlan(
  dc: DeployContext,
  ctx: TaskContext,
  opts: ApplyOptions,
): Promise<'current' | 'fresh' | 'no-changes' | 'interrupted'> {
  const saved = await savedPlan(dc, ctx.projectDir);
  // A saved plan without changes is not trusted: reality may have drifted since, so plan again
  // (a plan writes no state, so a second apply of an unchanged unit still writes nothing).
  if (saved.state === 'current' && saved.changes) {
    ctx.log.info(`Applying the saved plan ${planPaths(dc.unitDir).planFile}.`);
    return 'current';
  }
  if (saved.state === 'stale') {
    if (opts.yes) throw stalePlan(dc, saved.changed);
    ctx.log.warn(`The saved plan was made from other inputs (${saved.changed.join(', ')} changed since): planning again.`);
  }
  const outcome = await planToFile(dc, ctx);
  return outcome === 'changes' ? 'fresh' : outcome;
}

/**
 * Every plan with changes is confirmed, a saved one too (--yes for automation). A fresh
 * plan that is not approved is discarded, so a later run cannot apply it unasked.
 */
async function approve(dc: DeployContext, ctx: TaskContext, opts: ApplyOptions, plan: 'current' | 'fresh'): Promise<void> {
  const question = plan === 'current' ? `Apply the saved plan ${planPaths(dc.unitDir).planFile}?` : 'Apply the plan above?';
  let approved = false;
  try {
    approved = await confirm(ctx, {
      question,
      expected: 'yes',
      yes: opts.yes,
      action: 'apply',
      withoutTerminal: 'Review the plan above, then re-run with --yes (npm run apply -- --yes).',
    });
  } finally {
    if (!approved && plan === 'fresh') await discardPlan(dc.unitDir);
  }
  if (!approved)
    throw new TaskError('Apply cancelled; nothing was changed.', { code: 'CANCELLED', hint: 'Run npm run apply again when ready.' });
}

export async function applyUnit(opts: ApplyOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  // Before the plan takes the state lock.
  assertSessionRunway(opts.config, dc.expiration, new Date());
  const plan = await ensurePlan(dc, ctx, opts);
  if (plan === 'interrupted') return ExitCode.interrupted;
  if (plan !== 'no-changes') await approve(dc, ctx, opts, plan);
  if (plan !== 'no-changes') {
    const result = await invokeTerragrunt(dc, ctx, { kind: 'apply', planFile: planPaths(dc.unitDir).planFile });
    await discardPlan(dc.unitDir);
    if (result.interrupted) return ExitCode.interrupted;
  } else {
    ctx.log.info(`No changes: ${opts.config.unit} already matches the configuration.`);
  }
  // Each unit is read back as its own module calls for (lib/deploy/unit-kinds.ts).
  const unit = await readVerifiedUnit(dc, ctx);
  ctx.log.info(`\n${unit.heading}:\n${formatOutputs(unit.values, 'text')}${unit.footer}`);
  return ExitCode.ok;
}
