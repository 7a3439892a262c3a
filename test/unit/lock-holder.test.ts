import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { listProcesses } from '../../lib/os/processes.js';
import { lockHolder, thisHolder } from '../../lib/state-lock/lock.js';

// Real processes named terraform (a copy of sleep), each with the environment the tasks
// give terraform, or none of it; only these are looked at, so other runs on the machine do not count.
let dir: string;
const children: ChildProcess[] = [];
const lock = { ID: 'lock-1', Who: thisHolder(), Operation: 'OperationTypeApply' };
const place = { stateBucket: 'mine', s3Endpoint: 'https://127.0.0.1:4443' };

async function terraform(env: Record<string, string>): Promise<number> {
  const child = spawn(join(dir, 'terraform'), ['300'], { env: { PATH: process.env.PATH ?? '', ...env }, stdio: 'ignore' });
  children.push(child);
  await once(child, 'spawn');
  return child.pid ?? 0;
}

async function holderAmong(pids: number[]) {
  return lockHolder(
    lock,
    place,
    (await listProcesses()).filter((p) => pids.includes(p.pid)),
  );
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'lock-holder-'));
  await copyFile('/bin/sleep', join(dir, 'terraform'));
});
after(async () => {
  for (const child of children) child.kill('SIGKILL');
  await rm(dir, { recursive: true, force: true });
});

test('a terraform the tasks started for another state bucket or endpoint cannot hold this lock', async () => {
  const otherBucket = await terraform({ DEPLOY_STATE_BUCKET: 'theirs', AWS_ENDPOINT_URL_S3: place.s3Endpoint });
  const otherEndpoint = await terraform({ DEPLOY_STATE_BUCKET: 'mine', AWS_ENDPOINT_URL_S3: 'https://127.0.0.1:5553' });
  const onAws = await terraform({ DEPLOY_STATE_BUCKET: 'mine' });
  assert.deepEqual(await holderAmong([otherBucket, otherEndpoint, onAws]), { state: 'dead' });
});

test('a terraform for this state, or one run by hand, may hold it: alive', async () => {
  const same = await terraform({ DEPLOY_STATE_BUCKET: 'mine', AWS_ENDPOINT_URL_S3: place.s3Endpoint });
  const byHand = await terraform({});
  for (const pid of [same, byHand]) {
    const holder = await holderAmong([pid]);
    assert.equal(holder.state, 'alive');
    assert.match(holder.state === 'alive' ? holder.detail : '', new RegExp(`pid ${pid}`));
  }
});

test('a lock taken on another machine is not judged from here', async () => {
  assert.deepEqual(await lockHolder({ ...lock, Who: 'ci@runner-7' }, place, []), { state: 'elsewhere', who: 'ci@runner-7' });
});
