import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { guardFile, withUnitGuard } from '../../lib/terragrunt/unit-guard.js';
import '../support/no-leftovers.js';

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

describe('orphans of a killed task', () => {
  test("a guard whose task died while its terragrunt's process group lives is refused with the command that stops it", async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-'));
    // The killed task: a process that has ended. Its terragrunt: a detached group that runs on.
    const task = spawn(process.execPath, ['-e', '0']);
    await once(task, 'close');
    const orphan = spawn('sleep', ['1000'], { detached: true, stdio: 'ignore' });
    await once(orphan, 'spawn');
    const group = orphan.pid ?? 0;
    await writeFile(join(dir, guardFile), JSON.stringify({ pid: task.pid, what: 'terragrunt plan', group }));
    try {
      await assert.rejects(
        withUnitGuard(dir, 'terragrunt plan', () => Promise.resolve()),
        (error: unknown) =>
          error instanceof TaskError &&
          error.code === 'UNIT_ORPHAN' &&
          error.message.includes(`process group ${group}`) &&
          (error.hint ?? '').includes(`kill -INT -- -${group}`),
      );
    } finally {
      process.kill(-group, 'SIGKILL');
      await once(orphan, 'close');
    }
    // The group is gone: the guard is taken over.
    assert.equal(await withUnitGuard(dir, 'terragrunt plan', () => Promise.resolve('ran')), 'ran');
    await rm(dir, { recursive: true, force: true });
  });

  test('the guard records the group of the child the work started', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'guard-'));
    const recorded = await withUnitGuard(dir, 'terragrunt plan', async (recordChild) => {
      await recordChild(4242);
      return JSON.parse(await readFile(join(dir, guardFile), 'utf8')) as { group: number; pid: number };
    });
    assert.deepEqual([recorded.pid, recorded.group], [process.pid, 4242]);
    await rm(dir, { recursive: true, force: true });
  });
});
