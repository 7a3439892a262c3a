import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { once } from 'node:events';
import { test } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { settleLockAfterKill } from '../../lib/state-lock/after-kill.js';
import { createMemoryLogger } from '../support/context.js';

test('after a second Ctrl-C, a lock that cannot be read is said, with how to release it', async () => {
  // A port that was just free: nothing listens there, so the lock read is refused.
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as { port: number };
  server.close();
  await once(server, 'close');
  const env = {
    AWS_ENDPOINT_URL_S3: `https://127.0.0.1:${port}`,
    AWS_ENDPOINT_URL_STS: `https://127.0.0.1:${port}`,
    DEPLOY_AWS_TIMEOUT_SECONDS: '5',
  };
  const config = loadConfig({}, env);
  const scope = {
    config,
    signal: new AbortController().signal,
    credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'x' },
    account: '123456789012',
  };
  const log = createMemoryLogger();
  await settleLockAfterKill(scope, log, new Date(), []);
  assert.ok(
    log.lines.some((l) =>
      /^warning: Stopped at once; the state lock could not be read \(.+\), so it may still be held\..*npm run unlock -- --lock-id/.test(l),
    ),
    log.lines.join('\n'),
  );
});
