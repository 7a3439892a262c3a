import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { mock, test } from 'node:test';
import { S3Client } from '@aws-sdk/client-s3';
import { loadConfig } from '../../lib/config/load.js';
import { settleSideBySide } from '../../lib/state-bucket/settle.js';

// No request is made: the calls below are the test's own, and the client only names the waiter's owner.
const s3 = new S3Client({ region: 'us-east-1' });
const scope = { config: loadConfig({}, { DEPLOY_BUCKET_READY_TIMEOUT_SECONDS: '30' }), signal: new AbortController().signal };

function named(name: string): Error {
  return Object.assign(new Error(name), { name });
}

test('the answers come back in the order of the calls', async () => {
  const answers = await settleSideBySide(s3, scope, [
    async () => {
      await nextTurn();
      return 'first';
    },
    () => Promise.resolve('second'),
  ]);
  assert.deepEqual(answers, ['first', 'second']);
});

test('the first failure is thrown, after the calls still running have ended, and stops the waits of the others', async (t) => {
  mock.timers.enable({ apis: ['setTimeout'] });
  t.after(() => mock.timers.reset());
  let releaseSlow: (() => void) | undefined;
  const slow = new Promise<void>((resolve) => (releaseSlow = resolve));
  let lagging = 0;
  let settled = false;
  const result = settleSideBySide(s3, scope, [
    () => Promise.reject(named('AccessDenied')),
    async () => {
      await slow;
      return 'late';
    },
    // A bucket S3 has not settled yet: the waiter would try again within a second or so.
    () => {
      lagging += 1;
      return Promise.reject(named('NoSuchBucket'));
    },
  ]).finally(() => (settled = true));
  for (let turn = 0; turn < 20; turn += 1) await nextTurn();
  assert.equal(settled, false, 'it returned while a call was still running');
  releaseSlow?.();
  await assert.rejects(result, (error: unknown) => error instanceof Error && error.name === 'AccessDenied');
  // The lagging call's waiter sleeps in its backoff (at most DEPLOY_BUCKET_READY_TIMEOUT_SECONDS): let it wake.
  mock.timers.tick(30_000);
  for (let turn = 0; turn < 20; turn += 1) await nextTurn();
  assert.equal(lagging, 1, 'the waiter of the lagging call called again after the first failure');
});
