import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { TaskError } from '../../lib/core/errors.js';
import { assertSessionRunway } from '../../lib/deploy/session-runway.js';

const now = new Date('2026-11-27T12:00:00Z');
const config = loadConfig({ profile: 'deploy', minSessionMinutes: '10' }, {});
const inMinutes = (m: number) => new Date(now.getTime() + m * 60_000);

test('a session with at least the configured minimum left, or long-lived keys, may start', () => {
  assert.doesNotThrow(() => assertSessionRunway(config, inMinutes(10), now));
  assert.doesNotThrow(() => assertSessionRunway(config, inMinutes(600), now));
  assert.doesNotThrow(() => assertSessionRunway(config, undefined, now));
});

test('a session shorter than the minimum, or expired, is refused with the login command', () => {
  for (const [expiration, said] of [
    [inMinutes(9), /expires in 9 min/],
    [inMinutes(-1), /expired at 2026-11-27T11:59:00.000Z/],
  ] as const) {
    assert.throws(
      () => assertSessionRunway(config, expiration, now),
      (error: unknown) =>
        error instanceof TaskError &&
        error.code === 'SESSION_TOO_SHORT' &&
        said.test(error.message) &&
        /DEPLOY_MIN_SESSION_MINUTES=10/.test(error.message) &&
        error.hint === 'Refresh the session: aws sso login --profile deploy, then run the task again.',
    );
  }
});
