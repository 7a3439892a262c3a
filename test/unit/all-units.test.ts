import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { exitCodeOf, summaryTable } from '../../lib/deploy/all.js';
import { forEachUnit } from '../../lib/deploy/each-unit.js';
import { dependenciesOf, dependentsOf, type Unit } from '../../lib/deploy/units.js';
import { testContext } from '../support/context.js';

const unit = (path: string, dependencies: string[] = []): Unit => ({ path, dir: `/infra/${path}`, dependencies });
// a <- b <- c, and d on its own
const units = [unit('a'), unit('b', ['a']), unit('c', ['b']), unit('d')];

describe('every unit, in dependency order', () => {
  test('dependents and dependencies are followed through other units', () => {
    assert.deepEqual(dependentsOf(units, 'a'), ['b', 'c']);
    assert.deepEqual(dependentsOf(units, 'd'), []);
    assert.deepEqual(dependenciesOf(units, 'c').sort(), ['a', 'b']);
  });

  test('a failure stops the units that need it, says which, and the others still run', async () => {
    const ctx = testContext();
    const ran: string[] = [];
    const results = await forEachUnit(
      units,
      ctx,
      (u) => {
        ran.push(u.path);
        if (u.path === 'a') return Promise.reject(new TaskError('AccessDenied', { code: 'X', hint: 'grant it' }));
        return Promise.resolve({ result: 'applied', changes: '+1 ~0 -0' });
      },
      { parallelism: 1 },
    );
    assert.deepEqual(ran, ['a', 'd']);
    assert.deepEqual(
      results.map((r) => [r.unit, r.result, r.ok]),
      [
        ['a', 'failed', false],
        ['b', 'not run (a failed)', false],
        ['c', 'not run (a failed)', false],
        ['d', 'applied', true],
      ],
    );
    assert.ok(ctx.log.lines.some((l) => l === '  not run because a failed: b, c'));
    assert.equal(exitCodeOf(results), 1);
  });

  test('in reverse (destroy) a failure keeps the units it depends on', async () => {
    const ran: string[] = [];
    const results = await forEachUnit(
      units,
      testContext(),
      (u) => {
        ran.push(u.path);
        return u.path === 'b' ? Promise.reject(new Error('DependencyViolation')) : Promise.resolve({ result: 'destroyed', changes: '-' });
      },
      { parallelism: 1, direction: 'reverse' },
    );
    assert.deepEqual(ran, ['d', 'c', 'b']);
    assert.equal(results.find((r) => r.unit === 'a')?.result, 'not run (b failed)');
  });

  test('the summary table lines up unit, result, changes and duration', () => {
    const table = summaryTable([
      { unit: 'us-east-1/ecr-public-repository', result: 'applied', changes: '+1 ~0 -0', durationMs: 12345, ok: true },
      { unit: 'us-east-1/github-actions-ecr-push', result: 'no changes', changes: '0', durationMs: 900, ok: true },
    ]);
    assert.equal(
      table,
      [
        'unit                               result      changes   duration',
        'us-east-1/ecr-public-repository    applied     +1 ~0 -0  12.3 s',
        'us-east-1/github-actions-ecr-push  no changes  0         0.9 s',
      ].join('\n'),
    );
  });
});
