import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { guardFile, withUnitGuard } from '../../lib/terragrunt/unit-guard.js';

describe('one terragrunt run per unit folder', () => {
  test('the guard is held during the work and removed after it, also when the work fails', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-'));
    const seen = await withUnitGuard(dir, 'terragrunt plan', () => Promise.resolve(existsSync(join(dir, guardFile))));
    assert.equal(seen, true);
    assert.equal(existsSync(join(dir, guardFile)), false);
    await assert.rejects(
      withUnitGuard(dir, 'terragrunt plan', () => Promise.reject(new Error('boom'))),
      /boom/,
    );
    assert.equal(existsSync(join(dir, guardFile)), false);
    await rm(dir, { recursive: true, force: true });
  });

  test("a live holder's guard stops a second run at once; a dead holder's is taken over", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-'));
    const holder = spawn(process.execPath, ['-e', 'process.stdin.resume()'], { stdio: ['pipe', 'ignore', 'ignore'] });
    await once(holder, 'spawn');
    await writeFile(join(dir, guardFile), JSON.stringify({ pid: holder.pid, what: 'terragrunt apply' }));
    await assert.rejects(
      withUnitGuard(dir, 'terragrunt plan', () => Promise.resolve()),
      (error: unknown) =>
        error instanceof TaskError && error.code === 'UNIT_BUSY' && error.message.includes(`terragrunt apply (pid ${holder.pid})`),
    );
    holder.stdin.end();
    await once(holder, 'close');
    assert.equal(await withUnitGuard(dir, 'terragrunt plan', () => Promise.resolve('ran')), 'ran');
    await rm(dir, { recursive: true, force: true });
  });
});
