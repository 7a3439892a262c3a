import type { TaskContext } from '../core/context.js';
import { ExitCode, TaskError } from '../core/errors.js';
import { dependenciesOf, dependentsOf, type Unit } from './units.js';

/** What happened to one unit in a run over all of them. */
export interface UnitResult {
  unit: string;
  result: string;
  /** `+1 ~0 -0` from terraform's plan, or `-` when nothing was planned. */
  changes: string;
  durationMs: number;
  ok: boolean;
  /** Why the unit failed, as printed under its ✖ line (for summaries written after the run). */
  failure?: Failure;
}

/** An error as the tasks print it: the message, and the fix when it is a TaskError. */
export interface Failure {
  message: string;
  hint: string | undefined;
}

export function failureOf(error: unknown): Failure {
  if (error instanceof TaskError) return { message: error.message, hint: error.hint };
  return { message: error instanceof Error ? error.message : String(error), hint: undefined };
}

/** One unit's step: its result word and change summary; a throw is that unit's failure. */
export type UnitStep = (unit: Unit) => Promise<{ result: string; changes: string }>;

/** A unit's failure: printed (with its fix) as it happens, and kept in its row for summaries. */
function failedResult(unit: string, error: unknown, durationMs: number, ctx: TaskContext): UnitResult {
  const failure = failureOf(error);
  ctx.log.error(`✖ ${unit}: ${failure.message}`);
  if (failure.hint) ctx.log.error(`  fix: ${failure.hint}`);
  return { unit, result: 'failed', changes: '-', durationMs, ok: false, failure };
}

/**
 * Runs `step` on each unit in `units`' order. A failure stops the units that need the failed
 * one (its dependents; for destroy, its dependencies, which must outlive it) and says which;
 * the others still run. An interrupt stops everything.
 */
export async function forEachUnit(
  units: readonly Unit[],
  ctx: TaskContext,
  step: UnitStep,
  direction: 'forward' | 'reverse' = 'forward',
): Promise<UnitResult[]> {
  const ordered = direction === 'forward' ? [...units] : [...units].reverse();
  const results: UnitResult[] = [];
  const skipped = new Map<string, string>();
  for (const unit of ordered) {
    const blocker = skipped.get(unit.path);
    if (blocker !== undefined || ctx.signal.aborted) {
      results.push({
        unit: unit.path,
        result: ctx.signal.aborted ? 'not run (interrupted)' : `not run (${blocker ?? ''} failed)`,
        changes: '-',
        durationMs: 0,
        ok: false,
      });
      continue;
    }
    ctx.log.info(`\n=== ${unit.path} ===`);
    const started = performance.now();
    try {
      const { result, changes } = await step(unit);
      results.push({ unit: unit.path, result, changes, durationMs: Math.round(performance.now() - started), ok: true });
    } catch (error) {
      if (ctx.signal.aborted) throw error;
      results.push(failedResult(unit.path, error, Math.round(performance.now() - started), ctx));
      const needing = direction === 'forward' ? dependentsOf(units, unit.path) : dependenciesOf(units, unit.path);
      for (const n of needing) if (!skipped.has(n)) skipped.set(n, unit.path);
      if (needing.length > 0) ctx.log.error(`  not run because ${unit.path} failed: ${needing.join(', ')}`);
    }
  }
  return results;
}

/** The summary table at the end of a run over every unit. */
export function summaryTable(results: readonly UnitResult[]): string {
  const rows = [
    ['unit', 'result', 'changes', 'duration'],
    ...results.map((r) => [r.unit, r.result, r.changes, `${(r.durationMs / 1000).toFixed(1)} s`]),
  ];
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((row) => row[i]?.length ?? 0))) ?? [];
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

/** 0 when every unit succeeded, else the failure code (the table says which). */
export function exitCodeOf(results: readonly UnitResult[]): number {
  return results.every((r) => r.ok) ? ExitCode.ok : ExitCode.failure;
}
