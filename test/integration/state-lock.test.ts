import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { createMemoryLogger } from '../support/context.js';
import { convergeStateBucket } from '../../lib/state-bucket/converge.js';
import { stateKeys } from '../../lib/state-bucket/state-object.js';
import { settleLockAfterKill } from '../../lib/state-lock/after-kill.js';
import { lockHolder, readStateLock, thisHolder, type LockScope } from '../../lib/state-lock/lock.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { sandboxConfig } from '../support/config.js';
import { sandboxForTests } from '../support/sandbox.js';

// What a second Ctrl-C leaves to the task: a lock file terraform wrote and could not delete.
let sandbox: Sandbox;
let scope: LockScope;
before(async () => {
  sandbox = await sandboxForTests();
  const config = sandboxConfig(sandbox, { stateBucket: 'state-lock-settle' });
  await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger());
  scope = { config, signal: new AbortController().signal, credentials: sandbox.credentials, account: sandbox.accountId };
});
after(async () => {
  await sandbox.stop();
});

async function writeLock(lock: Record<string, string>): Promise<void> {
  const s3 = new S3Client(sandbox.clientOptions(sandbox.awsProxy.url));
  const Body = JSON.stringify({ Operation: 'OperationTypeApply', Info: '', Version: '1.14.5', Path: 'x', ...lock });
  await s3.send(new PutObjectCommand({ Bucket: scope.config.stateBucket, Key: stateKeys(scope.config).lock, Body }));
  s3.destroy();
}

describe('the lock after a killed run', () => {
  test('no lock: the task says none was left', async () => {
    const log = createMemoryLogger();
    await settleLockAfterKill(scope, log, new Date(), []);
    assert.ok(
      log.lines.some((l) => l.includes('no state lock was left behind')),
      log.lines.join('\n'),
    );
  });

  test("this run's lock (this user@host, taken after the run started, no terraform running) is released", async () => {
    const startedAt = new Date();
    await writeLock({ ID: 'ours-1', Who: thisHolder(), Created: new Date(startedAt.getTime() + 5).toISOString() });
    // "Dead" is proven by no terraform on this machine working on that state (none here).
    const log = createMemoryLogger();
    await settleLockAfterKill(scope, log, startedAt, []);
    assert.ok(
      log.lines.some((l) => l.includes('released the state lock ours-1 that this run held')),
      log.lines.join('\n'),
    );
    assert.equal(await readStateLock(scope), undefined);
  });

  test('a lock older than the run, or from another machine, is left and named with the unlock command', async () => {
    const startedAt = new Date();
    await writeLock({ ID: 'older-2', Who: thisHolder(), Created: new Date(startedAt.getTime() - 60_000).toISOString() });
    const log = createMemoryLogger();
    await settleLockAfterKill(scope, log, startedAt, []);
    assert.ok(
      log.lines.some((l) =>
        /lock older-2 .* is still held, because it was taken at .* before this run started.*npm run unlock -- --lock-id older-2/.test(l),
      ),
      log.lines.join('\n'),
    );
    await writeLock({ ID: 'remote-3', Who: 'ci@runner-7', Created: new Date(startedAt.getTime() + 5).toISOString() });
    const remote = createMemoryLogger();
    await settleLockAfterKill(scope, remote, startedAt, []);
    assert.ok(
      remote.lines.some((l) => /taken by ci@runner-7, not by this run.*npm run unlock -- --lock-id remote-3/.test(l)),
      remote.lines.join('\n'),
    );
    assert.equal((await readStateLock(scope))?.ID, 'remote-3');
  });

  test("a lock's Who with ANSI codes and line breaks is printed escaped, never raw", async () => {
    const startedAt = new Date();
    await writeLock({
      ID: 'hostile-5',
      Who: '\u001b[2J\u001b[31mops@x\nfix: run rm -rf /',
      Created: new Date(startedAt.getTime() + 5).toISOString(),
    });
    assert.equal((await readStateLock(scope))?.Who, '\\x1b[2J\\x1b[31mops@x\\nfix: run rm -rf /');
    const log = createMemoryLogger();
    await settleLockAfterKill(scope, log, startedAt, []);
    const said = log.lines.join('\n');
    assert.match(said, /taken by \\x1b\[2J\\x1b\[31mops@x\\nfix: run rm -rf \//);
    assert.doesNotMatch(said, /\u001b/, 'an escape code reached the terminal');
    assert.ok(!log.lines.some((l) => l.split('\n').some((line) => line.startsWith('fix: run rm'))), 'the Who field forged a line');
  });

  test('a live terraform on this machine keeps the lock when it works on that state, or when its state cannot be known', async () => {
    const lock = { ID: 'live-4', Who: thisHolder() };
    const work = await mkdtemp(join(tmpdir(), 'holder-'));
    const initialised = async (name: string, bucket: string, s3 = 'https://127.0.0.1:4566'): Promise<string> => {
      const dir = join(work, name);
      await mkdir(join(dir, '.terraform'), { recursive: true });
      const config = { bucket, key: 'us-east-1/ecr-public-repository/terraform.tfstate', endpoints: { s3 } };
      await writeFile(join(dir, '.terraform', 'terraform.tfstate'), JSON.stringify({ backend: { type: 's3', config } }));
      return dir;
    };
    const state = 'https://127.0.0.1:4566 ours/us-east-1/ecr-public-repository/terraform.tfstate';
    // Live processes of this test's own, so /proc has their environment; each stands for a terraform.
    const live = async (env: NodeJS.ProcessEnv) => {
      const child = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1_000_000)'], { env, stdio: 'ignore' });
      await once(child, 'spawn');
      return child;
    };
    const plain = await live({});
    const withDataDir = await live({ TF_DATA_DIR: '/elsewhere/.terraform' });
    const terraform = (cwd: string | undefined, args = ['apply'], pid = plain.pid ?? 0) => ({
      pid,
      argv: ['/opt/bin/terraform', ...args],
      cwd,
    });
    const detail = (pid = plain.pid) => ({ state: 'alive', detail: `pid ${pid}: /opt/bin/terraform apply` });
    const same = terraform(await initialised('same', 'ours'));
    const other = terraform(await initialised('other', 'someone-elses'));
    // The same bucket name in another S3 service (another sandbox) is another state.
    const elsewhere = terraform(await initialised('elsewhere', 'ours', 'https://127.0.0.1:9999'));
    await mkdir(join(work, 'no-backend'));
    const noBackend = terraform(join(work, 'no-backend'));
    await mkdir(join(work, 'garbled', '.terraform'), { recursive: true });
    await writeFile(join(work, 'garbled', '.terraform', 'terraform.tfstate'), '{"backend": ');
    assert.deepEqual(await lockHolder(lock, state, [same, other]), detail());
    assert.deepEqual(await lockHolder(lock, state, [other, elsewhere, noBackend]), { state: 'dead' });
    // Unknown, so a possible holder: closed to us, its checkout removed, settings unreadable, or pointed elsewhere.
    for (const unknown of [
      terraform(undefined),
      terraform(`${join(work, 'no-backend')} (deleted)`),
      terraform(join(work, 'garbled')),
      terraform(join(work, 'no-backend'), ['-chdir=/elsewhere', 'apply']),
      terraform(join(work, 'no-backend'), ['apply'], withDataDir.pid),
      terraform(join(work, 'no-backend'), ['apply'], 999_999_999),
    ])
      assert.equal((await lockHolder(lock, state, [other, unknown])).state, 'alive', JSON.stringify(unknown));
    assert.deepEqual(await lockHolder(lock, state, [{ pid: 7, argv: ['/usr/bin/terragrunt'], cwd: '/' }]), { state: 'dead' });
    assert.deepEqual(await lockHolder({ ID: 'x', Who: 'ops@laptop' }, state, []), { state: 'elsewhere', who: 'ops@laptop' });
    for (const child of [plain, withDataDir]) {
      child.kill();
      await once(child, 'exit');
    }
    await rm(work, { recursive: true, force: true });
  });
});
