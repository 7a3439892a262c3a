import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import type { TaskContext } from '../../lib/core/context.js';
import { forEachUnit, readEachUnit } from '../../lib/deploy/each-unit.js';
import { initGate } from '../../lib/deploy/init-gate.js';
import { unitView } from '../../lib/deploy/unit-view.js';
import type { Unit } from '../../lib/deploy/units.js';
import { testContext } from '../support/context.js';

const unit = (path: string, dependencies: string[] = []): Unit => ({ path, dir: `/infra/${path}`, dependencies });

/**
 * A fake unit runner whose units finish only when the test says so: the test sees which units
 * run at the same moment, and in which order they start, with no clock involved.
 */
function controlledRunner() {
  const running = new Map<string, { finish: () => void; fail: (e: Error) => void }>();
  const started: string[] = [];
  let peak = 0;
  const waiters: Array<{ count: number; resolve: () => void }> = [];
  const wake = (): void => {
    for (const w of [...waiters])
      if (started.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve();
      }
  };
  const step = (u: Unit, ctx: TaskContext): Promise<{ result: string; changes: string }> =>
    new Promise((resolve, reject) => {
      started.push(u.path);
      running.set(u.path, {
        finish: () => {
          running.delete(u.path);
          resolve({ result: 'planned', changes: '0' });
        },
        fail: (e) => {
          running.delete(u.path);
          reject(e);
        },
      });
      // An interrupted unit ends as terragrunt does on its SIGINT: it stops, and the step throws.
      ctx.signal.addEventListener('abort', () => running.get(u.path)?.fail(new Error('interrupted')), { once: true });
      peak = Math.max(peak, running.size);
      wake();
    });
  return {
    step,
    started,
    running: () => [...running.keys()].sort(),
    peak: () => peak,
    /** Resolves once `count` units have started. */
    startedCount: (count: number) =>
      new Promise<void>((resolve) => {
        waiters.push({ count, resolve });
        wake();
      }),
    finish: (path: string) => running.get(path)?.finish(),
    fail: (path: string, e: Error) => running.get(path)?.fail(e),
  };
}

describe('units side by side', () => {
  test('independent units run together up to the bound; a dependent starts only once its dependency finished', async () => {
    // a <- b, and c, d, e on their own
    const units = [unit('a'), unit('b', ['a']), unit('c'), unit('d'), unit('e')];
    const r = controlledRunner();
    const done = forEachUnit(units, testContext(), r.step, { parallelism: 2 });
    await r.startedCount(2);
    assert.deepEqual(r.running(), ['a', 'c'], 'b waits for a; the bound keeps d and e waiting');
    r.finish('c');
    await r.startedCount(3);
    assert.deepEqual(r.running(), ['a', 'd'], 'b still waits for a: d takes the free place');
    r.finish('a');
    await r.startedCount(4);
    assert.deepEqual(r.running(), ['b', 'd']);
    r.finish('d');
    await r.startedCount(5);
    r.finish('b');
    r.finish('e');
    const results = await done;
    assert.equal(r.peak(), 2);
    assert.deepEqual(
      results.map((x) => x.unit),
      ['a', 'b', 'c', 'd', 'e'],
      'the table stays in dependency order, not the order units finished in',
    );
    assert.ok(results.every((x) => x.ok));
  });

  test('a failure stops only the units that depend on it, names them, and the others finish', async () => {
    const units = [unit('a'), unit('b', ['a']), unit('c', ['b']), unit('d'), unit('e', ['d'])];
    const ctx = testContext();
    const r = controlledRunner();
    const done = forEachUnit(units, ctx, r.step, { parallelism: 4 });
    await r.startedCount(2);
    assert.deepEqual(r.running(), ['a', 'd']);
    r.fail('a', new Error('AccessDenied'));
    r.finish('d');
    await r.startedCount(3);
    assert.deepEqual(r.running(), ['e']);
    r.finish('e');
    const results = await done;
    assert.deepEqual(r.started, ['a', 'd', 'e']);
    assert.deepEqual(
      results.map((x) => [x.unit, x.result]),
      [
        ['a', 'failed'],
        ['b', 'not run (a failed)'],
        ['c', 'not run (a failed)'],
        ['d', 'planned'],
        ['e', 'planned'],
      ],
    );
    assert.ok(ctx.log.lines.includes('  not run because a failed: b, c'), ctx.log.lines.join('\n'));
  });

  test('in reverse (destroy), a unit starts once every unit depending on it has finished', async () => {
    const units = [unit('a'), unit('b', ['a']), unit('c', ['a'])];
    const r = controlledRunner();
    const done = forEachUnit(units, testContext(), r.step, { parallelism: 3, direction: 'reverse' });
    await r.startedCount(2);
    assert.deepEqual(r.running(), ['b', 'c'], 'the dependents go first, side by side');
    r.finish('c');
    assert.deepEqual(r.running(), ['b'], 'a still waits for b');
    r.finish('b');
    await r.startedCount(3);
    r.finish('a');
    assert.deepEqual(
      (await done).map((x) => x.unit),
      ['c', 'b', 'a'],
    );
  });

  test('Ctrl-C starts nothing more, lets every running unit stop, then ends the run with the interruption', async () => {
    const units = [unit('a'), unit('b'), unit('c'), unit('d', ['a'])];
    const controller = new AbortController();
    const r = controlledRunner();
    const done = forEachUnit(units, testContext({ signal: controller.signal }), r.step, { parallelism: 2 });
    await r.startedCount(2);
    controller.abort();
    await assert.rejects(done, /interrupted/);
    assert.deepEqual(r.started, ['a', 'b'], 'c and d never started');
    assert.deepEqual(r.running(), [], 'both running units had stopped before the run ended');
  });

  test('reads run side by side within the bound, values in unit order; the first failure is thrown after the others end', async () => {
    const units = [unit('a'), unit('b'), unit('c')];
    const r = controlledRunner();
    const done = readEachUnit(units, testContext(), 2, async (u, ctx) => (await r.step(u, ctx)).result + u.path);
    await r.startedCount(2);
    r.finish('b');
    await r.startedCount(3);
    r.finish('c');
    r.finish('a');
    assert.deepEqual(await done, ['planneda', 'plannedb', 'plannedc']);
    assert.equal(r.peak(), 2);

    const failing = controlledRunner();
    const stopped = readEachUnit(units, testContext(), 2, (u, ctx) => failing.step(u, ctx));
    await failing.startedCount(2);
    failing.fail('a', new Error('no state'));
    assert.deepEqual(failing.running(), ['b']);
    failing.finish('b');
    await assert.rejects(stopped, /no state/);
    assert.deepEqual(failing.started, ['a', 'b'], 'nothing starts after a failure');
  });

  test("each unit's output reaches the stream in whole lines carrying its name, however the chunks fall", async () => {
    const ctx = testContext();
    const one = unitView(ctx, 'us-east-1/one');
    const two = unitView(ctx, 'us-east-1/two');
    one.ctx.io.stdout.write('Plan: 1 to');
    two.ctx.io.stdout.write('No changes.\nsecond ');
    one.ctx.io.stdout.write(' add.\n');
    two.ctx.io.stdout.write('line without newline');
    one.ctx.log.error('✖ failed\n  fix: run it again');
    await Promise.all([one.close(), two.close()]);
    assert.equal(
      ctx.io.written(),
      ['[us-east-1/two] No changes.', '[us-east-1/one] Plan: 1 to add.', '[us-east-1/two] second line without newline', ''].join('\n'),
    );
    assert.deepEqual(ctx.log.lines, ['[us-east-1/one] ✖ failed\n[us-east-1/one]   fix: run it again']);
  });

  test('the first command of units not yet initialised runs one at a time; initialised units pass straight through', async (t) => {
    const root = await mkdtemp(join(tmpdir(), 'init-gate-'));
    t.after(() => rm(root, { recursive: true, force: true }));
    const warm = join(root, 'warm');
    await mkdir(join(warm, '.terragrunt-cache/h1/h2/module/.terraform/providers'), { recursive: true });
    const gate = initGate();
    const ctx = testContext();
    const r = controlledRunner();
    const run = (path: string, dir: string) => gate.run(dir, ctx, () => r.step(unit(path), ctx));
    const cold = [run('cold-1', join(root, 'cold-1')), run('cold-2', join(root, 'cold-2')), run('warm', warm)];
    await r.startedCount(2);
    // Which cold unit goes first is not fixed (each first looks at its own folder); only one at a time is.
    const first = r.running().find((p) => p.startsWith('cold-')) ?? '';
    const second = first === 'cold-1' ? 'cold-2' : 'cold-1';
    assert.deepEqual(r.running().sort(), [first, 'warm'], 'the other cold unit waits for the first to fill the plugin cache');
    r.fail(first, new Error('init failed'));
    await r.startedCount(3);
    assert.deepEqual(r.running().sort(), [second, 'warm'], "a failed first run still lets the next one go (its failure is its unit's)");
    r.finish(second);
    r.finish('warm');
    const settled = await Promise.allSettled(cold);
    assert.deepEqual(
      settled.map((x) => x.status),
      ['cold-1', 'cold-2', 'warm'].map((p) => (p === first ? 'rejected' : 'fulfilled')),
    );
  });
});
