import { availableParallelism } from 'node:os';
import type { TaskContext } from '../core/context.js';
import { TaskError } from '../core/errors.js';
import { failureOf, type UnitResult } from './all.js';
import { unitView } from './unit-view.js';
import { dependenciesOf, dependentsOf, type Unit } from './units.js';

/**
 * One unit's step: its result word and change summary; a throw is that unit's failure. It runs
 * with `ctx`, the unit's own view of the task context (its output prefixed when units run side
 * by side): everything it prints goes there.
 */
export type UnitStep = (unit: Unit, ctx: TaskContext) => Promise<{ result: string; changes: string }>;

/** How a run over every unit is scheduled. */
export interface EachUnitOptions {
  /** At most this many units at once (DEPLOY_PARALLELISM; see unitParallelism). */
  parallelism: number;
  /** reverse (destroy): a unit starts once every unit that depends on it has finished. */
  direction?: 'forward' | 'reverse';
}

/** DEPLOY_PARALLELISM, else the number of cores this process may use. */
export function unitParallelism(config: { parallelism?: number | undefined }): number {
  return config.parallelism ?? availableParallelism();
}

const notRun = (unit: string, why: string): UnitResult => ({ unit, result: `not run (${why})`, changes: '-', durationMs: 0, ok: false });
const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

/** The state of one run over every unit: what waits, what runs, what finished and how. */
class UnitRun {
  readonly results = new Map<string, UnitResult>();
  /** The first error thrown by a step interrupted by Ctrl-C: rethrown once every running unit stopped. */
  interruption: { error: unknown } | undefined;
  private readonly running = new Map<string, Promise<void>>();
  private readonly blocked = new Map<string, string>();
  private readonly startedAt = performance.now();
  /** Units run side by side: each one's lines carry its name, and no header separates them. */
  private readonly sideBySide: boolean;

  constructor(
    private readonly units: readonly Unit[],
    private readonly ctx: TaskContext,
    private readonly step: UnitStep,
    private readonly forward: boolean,
    private readonly parallelism: number,
  ) {
    this.sideBySide = parallelism > 1;
  }

  /** The units that must have finished before `unit` starts. */
  private waitsFor(unit: Unit): string[] {
    if (this.forward) return unit.dependencies.filter((d) => this.units.some((u) => u.path === d));
    return this.units.filter((u) => u.dependencies.includes(unit.path)).map((u) => u.path);
  }

  async all(ordered: readonly Unit[]): Promise<void> {
    const waiting = [...ordered];
    for (;;) {
      this.startReady(waiting);
      if (this.running.size === 0) break;
      await Promise.race(this.running.values());
    }
    if (waiting.length > 0 && !this.ctx.signal.aborted)
      throw new TaskError(`The units ${waiting.map((u) => u.path).join(', ')} wait for each other: a dependency cycle.`, {
        code: 'UNITS_CYCLE',
        hint: 'Remove the cycle from their dependency blocks (terragrunt find --dag --dependencies lists them).',
      });
  }

  /** Starts, in dependency order, every waiting unit whose turn has come, up to the bound; records the ones a failure stopped. */
  private startReady(waiting: Unit[]): void {
    for (let i = 0; i < waiting.length && !this.ctx.signal.aborted;) {
      const unit = waiting[i] as Unit;
      const blocker = this.blocked.get(unit.path);
      if (blocker !== undefined) {
        this.results.set(unit.path, notRun(unit.path, `${blocker} failed`));
        waiting.splice(i, 1);
      } else if (this.running.size < this.parallelism && this.waitsFor(unit).every((d) => this.results.has(d))) {
        waiting.splice(i, 1);
        this.running.set(unit.path, this.runOne(unit));
      } else i += 1;
    }
  }

  private async runOne(unit: Unit): Promise<void> {
    const view = this.sideBySide ? unitView(this.ctx, unit.path) : { ctx: this.ctx, close: () => Promise.resolve() };
    if (!this.sideBySide) this.ctx.log.info(`\n=== ${unit.path} ===`);
    else if (!this.ctx.log.interactive) this.ctx.log.info(`▸ ${unit.path} started`);
    this.showProgress();
    const started = performance.now();
    const took = (): number => Math.round(performance.now() - started);
    try {
      const { result, changes } = await this.step(unit, view.ctx);
      this.results.set(unit.path, { unit: unit.path, result, changes, durationMs: took(), ok: true });
    } catch (error) {
      if (this.ctx.signal.aborted) {
        this.interruption ??= { error };
        this.results.set(unit.path, notRun(unit.path, 'interrupted'));
      } else this.fail(unit, error, took(), view.ctx);
    } finally {
      await view.close();
      this.running.delete(unit.path);
    }
    this.finished(unit.path);
  }

  /** Prints the failure with its fix, and stops (and names) the units that need the failed one. */
  private fail(unit: Unit, error: unknown, durationMs: number, ctx: TaskContext): void {
    const failure = failureOf(error);
    ctx.log.error(`✖ ${unit.path}: ${failure.message}`);
    if (failure.hint) ctx.log.error(`  fix: ${failure.hint}`);
    this.results.set(unit.path, { unit: unit.path, result: 'failed', changes: '-', durationMs, ok: false, failure });
    const needing = this.forward ? dependentsOf(this.units, unit.path) : dependenciesOf(this.units, unit.path);
    for (const n of needing) if (!this.blocked.has(n)) this.blocked.set(n, unit.path);
    if (needing.length > 0) this.ctx.log.error(`  not run because ${unit.path} failed: ${needing.join(', ')}`);
  }

  private finished(unit: string): void {
    const r = this.results.get(unit);
    if (this.sideBySide && r !== undefined)
      this.ctx.log.info(`■ ${unit}: ${r.result} (${this.results.size} of ${this.units.length} done, ${seconds(this.elapsed())} elapsed)`);
    this.showProgress();
  }

  private elapsed(): number {
    return performance.now() - this.startedAt;
  }

  /** On a terminal, one status line kept below the units' output; CI logs get the plain lines above instead. */
  private showProgress(): void {
    if (!this.ctx.log.interactive) return;
    const running = [...this.running.keys()];
    const now = running.length > 0 ? `; running: ${running.join(', ')}` : '';
    this.ctx.log.progress(`${this.results.size} of ${this.units.length} units done, ${seconds(this.elapsed())}${now}`);
  }
}

/**
 * Runs `step` on every unit, up to `parallelism` at once, each unit once everything it depends
 * on has finished (for destroy, everything depending on it). A failure stops the units that
 * need the failed one (its dependents; for destroy, its dependencies, which must outlive it)
 * and says which; the others still run. An interrupt starts nothing more and waits for the
 * running units (each terragrunt got its SIGINT and releases its lock), then rethrows. The
 * results are in dependency order (reverse for destroy), whatever order the units finished in.
 */
export async function forEachUnit(
  units: readonly Unit[],
  ctx: TaskContext,
  step: UnitStep,
  options: EachUnitOptions,
): Promise<UnitResult[]> {
  const forward = (options.direction ?? 'forward') === 'forward';
  const ordered = forward ? [...units] : [...units].reverse();
  const run = new UnitRun(units, ctx, step, forward, Math.max(1, Math.min(options.parallelism, units.length)));
  await run.all(ordered);
  if (run.interruption !== undefined) throw run.interruption.error;
  return ordered.map((u) => run.results.get(u.path) ?? notRun(u.path, 'interrupted'));
}

/**
 * `read` for every unit, up to `parallelism` at once, with no order between them (reads wait
 * for nothing): the values in `units`' order. The first failure is thrown once every started
 * read has ended, so no terragrunt is left running behind it; no read starts after a failure.
 */
export async function readEachUnit<T>(
  units: readonly Unit[],
  ctx: TaskContext,
  parallelism: number,
  read: (unit: Unit, ctx: TaskContext) => Promise<T>,
): Promise<T[]> {
  const values: T[] = [];
  let next = 0;
  let failed: { error: unknown } | undefined;
  const sideBySide = Math.min(parallelism, units.length) > 1;
  const worker = async (): Promise<void> => {
    for (let i = next++; i < units.length && failed === undefined && !ctx.signal.aborted; i = next++) {
      const unit = units[i] as Unit;
      const view = sideBySide ? unitView(ctx, unit.path) : { ctx, close: () => Promise.resolve() };
      try {
        values[i] = await read(unit, view.ctx);
      } catch (error) {
        failed ??= { error };
      } finally {
        await view.close();
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(parallelism, units.length)) }, worker));
  if (failed !== undefined) throw failed.error;
  ctx.signal.throwIfAborted();
  return values;
}
