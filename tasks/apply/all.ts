import type { TaskContext } from '../../lib/core/context.js';
import { ExitCode, TaskError } from '../../lib/core/errors.js';
import { confirm } from '../../lib/core/prompt.js';
import { invokeTerragrunt } from '../../lib/terragrunt/invoke.js';
import { planWithSummary } from '../../lib/terragrunt/plan-to-file.js';
import { discardPlan, planPaths, savedPlan } from '../../lib/terragrunt/saved-plan.js';
import { exitCodeOf, summaryTable } from '../../lib/deploy/all.js';
import { forEachUnit, unitParallelism, type UnitStep } from '../../lib/deploy/each-unit.js';
import { initGate } from '../../lib/deploy/init-gate.js';
import type { ApplyOptions } from './single.js';
import { prepareDeploy, type DeployContext } from '../../lib/deploy/prepare.js';
import { assertSessionRunway } from '../../lib/deploy/session-runway.js';
import { dependenciesOf, findUnits, unitContext, type Unit } from '../../lib/deploy/units.js';
import { readVerifiedUnit } from '../../lib/deploy/unit-kinds.js';

interface Planned {
  unit: Unit;
  changes: string;
  hasChanges: boolean;
  /** A unit it depends on changes in this run: its plan is made again once that one is applied. */
  replan: string[];
}

/** Options of `apply --all`: with savedPlansOnly (CI after review), nothing unreviewed is applied. */
export interface ApplyAllOptions extends ApplyOptions {
  savedPlansOnly: boolean;
}

function stale(unit: string, why: string): TaskError {
  return new TaskError(`${unit}: ${why}; nothing unreviewed is applied.`, {
    code: 'PLAN_STALE',
    hint: 'Plan this commit again (npm run plan -- --all), review the plans, then apply them.',
  });
}

/**
 * The saved plan when current, else a fresh one: what each unit would change. With
 * savedPlansOnly a unit without a current saved plan is refused; with --yes alone a stale saved
 * plan is too (it was reviewed, a fresh one made from other inputs was not).
 */
async function planEach(
  dc: DeployContext,
  units: Unit[],
  ctx: TaskContext,
  opts: ApplyAllOptions,
): Promise<{ planned: Planned[]; ok: boolean }> {
  const planned: Planned[] = [];
  const savedOnly = opts.savedPlansOnly;
  const gate = initGate();
  const step: UnitStep = async (unit, uctx) => {
    const udc = unitContext(dc, unit);
    const saved = await savedPlan(udc, ctx.projectDir);
    if (saved.state === 'stale' && (savedOnly || opts.yes))
      throw stale(unit.path, `its saved plan was made from other inputs: ${saved.changed.join(', ')} changed since`);
    if (savedOnly && saved.state === 'none') throw stale(unit.path, 'no saved plan (npm run plan -- --all makes one per unit)');
    // A plan made without the lock (plan --no-lock) is only a review: it is planned again, under the lock.
    const reviewed = saved.state === 'reviewed' ? saved.summary : undefined;
    const useSaved = saved.state === 'current' && saved.changes;
    const { outcome, changes } = useSaved
      ? { outcome: 'changes' as const, changes: saved.summary }
      : await gate.run(udc.unitDir, uctx, () => planWithSummary(udc, uctx));
    ctx.signal.throwIfAborted();
    const hasChanges = outcome === 'changes';
    // A reviewed plan without changes is planned again (reality may have moved); changes there were never reviewed.
    if (savedOnly && saved.state === 'current' && !saved.changes && hasChanges)
      throw stale(unit.path, `the reviewed plan had no changes, now it has ${changes}`);
    if (savedOnly && reviewed !== undefined && changes !== reviewed)
      throw stale(unit.path, `reviewed without the lock it changed ${reviewed}, planned under the lock it changes ${changes}`);
    // Its dependencies finished planning before it started (forEachUnit keeps the order): their plans are in.
    const replan = dependenciesOf(units, unit.path).filter((d) => planned.some((p) => p.unit.path === d && p.hasChanges));
    planned.push({ unit, changes, hasChanges, replan });
    return { result: useSaved ? 'saved plan' : 'planned', changes };
  };
  const results = await forEachUnit(units, ctx, step, { parallelism: unitParallelism(dc.config) });
  if (!results.every((r) => r.ok)) ctx.log.error(`\n${summaryTable(results)}\nNothing was applied.`);
  // In dependency order, as the confirmation lists them, whatever order the plans finished in.
  const order = (p: Planned): number => units.findIndex((u) => u.path === p.unit.path);
  return { planned: planned.sort((a, b) => order(a) - order(b)), ok: results.every((r) => r.ok) };
}

/** What will change, unit by unit: shown before the one confirmation, and in CI logs under --yes. */
function changeList(planned: Planned[]): string {
  const lines = planned
    .filter((p) => p.hasChanges || p.replan.length > 0)
    .map((p) => `  ${p.unit.path}: ${p.changes}${p.replan.length > 0 ? ` (planned again after ${p.replan.join(', ')} is applied)` : ''}`);
  return `Changes to apply:\n${lines.join('\n')}`;
}

/** One unit of the apply phase: planned again first when a dependency changed in this run, then its saved plan applied. */
async function applyOne(
  dc: DeployContext,
  planned: Planned[],
  unit: Unit,
  uctx: TaskContext,
  opts: ApplyAllOptions,
): Promise<{ result: string; changes: string }> {
  const p = planned.find((x) => x.unit.path === unit.path);
  const udc = unitContext(dc, unit);
  let changes = p?.changes ?? '?';
  let hasChanges = p?.hasChanges === true;
  if (p !== undefined && p.replan.length > 0) {
    const again = await planWithSummary(udc, uctx);
    changes = again.changes;
    hasChanges = again.outcome === 'changes';
    uctx.signal.throwIfAborted();
    if (opts.savedPlansOnly && changes !== p.changes)
      throw stale(
        unit.path,
        `planned again after ${p.replan.join(', ')} was applied, it changes ${changes}, not the reviewed ${p.changes}`,
      );
  }
  if (!hasChanges) return { result: 'no changes', changes };
  await invokeTerragrunt(udc, uctx, { kind: 'apply', planFile: planPaths(udc.unitDir).planFile });
  await discardPlan(udc.unitDir);
  uctx.signal.throwIfAborted();
  return { result: 'applied', changes };
}

/** `apply --all`: plan every unit, one confirmation listing each unit's changes, apply in dependency order, then the table. */
export async function applyAll(opts: ApplyAllOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  assertSessionRunway(opts.config, dc.expiration, new Date());
  const units = await findUnits(dc, ctx, 'apply');
  const { planned, ok } = await planEach(dc, units, ctx, opts);
  if (ctx.signal.aborted) return ExitCode.interrupted;
  if (!ok) return ExitCode.failure;
  const pending = planned.filter((p) => p.hasChanges || p.replan.length > 0);
  if (pending.length > 0) {
    ctx.log.info(`\n${changeList(planned)}`);
    const approved = await confirm(ctx, {
      question: 'Apply these changes?',
      expected: 'yes',
      yes: opts.yes,
      action: 'apply',
      withoutTerminal: 'Review the plans above, then re-run with --yes (npm run apply -- --all --yes).',
    });
    if (!approved)
      throw new TaskError('Apply cancelled; nothing was changed.', {
        code: 'CANCELLED',
        hint: 'Run npm run apply -- --all again when ready.',
      });
  }
  const results = await forEachUnit(units, ctx, (unit, uctx) => applyOne(dc, planned, unit, uctx, opts), {
    parallelism: unitParallelism(dc.config),
  });
  ctx.log.info(`\n${summaryTable(results)}`);
  if (ctx.signal.aborted) return ExitCode.interrupted;
  // Each applied unit is read back from AWS the way its own module calls for (lib/deploy/unit-kinds.ts).
  for (const unit of units) {
    if (results.find((r) => r.unit === unit.path)?.ok !== true) continue;
    await readVerifiedUnit(unitContext(dc, unit), ctx);
    ctx.log.info(
      unit.path === opts.config.unit ? `Verified ${opts.config.repositoryName} in ECR Public.` : `Verified ${unit.path} against AWS.`,
    );
  }
  return exitCodeOf(results);
}
