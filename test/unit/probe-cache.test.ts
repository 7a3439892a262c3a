import assert from 'node:assert/strict';
import { chmod, mkdtemp, readFile, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { probeCache } from '../../lib/tools/probe-cache.js';
import { checkVersion, spawnRunner, type Runner } from '../../lib/tools/version-check.js';
import '../support/no-leftovers.js';

async function binary(file: string, version: string, exitCode = 0): Promise<void> {
  await writeFile(file, `#!/bin/sh\necho "Terraform v${version}"\nexit ${exitCode}\n`);
  await chmod(file, 0o755);
}

test('a version is probed once per binary, and again only when the binary changed (size or mtime)', async () => {
  const root = await mkdtemp(join(tmpdir(), 'probe-cache-'));
  const bin = join(root, 'terraform');
  await binary(bin, '1.14.5');
  let probes = 0;
  const counting: Runner = (request) => {
    probes += 1;
    return spawnRunner(request);
  };
  const check = () =>
    checkVersion('terraform', bin, '1.14.5', { env: process.env, runner: probeCache(root).wrap(counting), timeoutMs: 30_000 });

  assert.equal((await check()).ok, true);
  assert.equal((await check()).ok, true);
  assert.equal(probes, 1, 'the second check was answered from the cache');
  const stored = JSON.parse(await readFile(join(root, 'version-probes.json'), 'utf8')) as Record<string, string>;
  assert.deepEqual(Object.values(stored), ['Terraform v1.14.5\n'], 'kept on disk for the next task');

  await binary(bin, '1.14.4');
  const changed = await check();
  assert.equal(probes, 2, 'a rewritten binary is probed again');
  assert.equal(changed.installed, '1.14.4');

  const later = new Date(Date.now() + 60_000);
  await utimes(bin, later, later);
  await check();
  assert.equal(probes, 3, 'same size, new mtime: probed again');
});

test('a failing probe is not remembered', async () => {
  const root = await mkdtemp(join(tmpdir(), 'probe-cache-'));
  const bin = join(root, 'terraform');
  await binary(bin, '1.14.5', 3);
  let probes = 0;
  const counting: Runner = (request) => {
    probes += 1;
    return spawnRunner(request);
  };
  const runner = probeCache(root).wrap(counting);
  assert.equal((await checkVersion('terraform', bin, '1.14.5', { env: process.env, runner, timeoutMs: 30_000 })).ok, false);
  assert.equal((await checkVersion('terraform', bin, '1.14.5', { env: process.env, runner, timeoutMs: 30_000 })).ok, false);
  assert.equal(probes, 2);
});
