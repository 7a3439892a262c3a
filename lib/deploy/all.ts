import { ExitCode, TaskError } from '../core/errors.js';

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
