import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runProcess } from '../../lib/core/process.js';
// Every file of the suite ends with the leftovers check; this one above all.
import '../support/no-leftovers.js';

let dir: string;
const env = { PATH: process.env.PATH ?? '' };
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'runner-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A script that writes its own pid and its child's pid, then waits on a child that holds its output open. */
async function hangingScript(name: string): Promise<string> {
  const script = join(dir, name);
  await writeFile(script, `#!/bin/bash\ntail -f /dev/null &\necho "$$ $!" > ${script}.pids\necho started\nwait\n`);
  await chmod(script, 0o755);
  return script;
}

/** Whether the process runs: a killed one may stay a zombie until its new parent reaps it, and that is not running. */
function running(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

async function pidsOf(script: string): Promise<number[]> {
  return (await readFile(`${script}.pids`, 'utf8')).trim().split(' ').map(Number);
}

describe('the process runner', () => {
  test('the timeout kills the whole group, the child that holds the output included', async () => {
    const script = await hangingScript('timeout.sh');
    const result = await runProcess(script, [], { cwd: dir, env, timeoutMs: 500 });
    assert.equal(result.timedOut, true);
    assert.equal(result.tail[0], 'started');
    for (const pid of await pidsOf(script)) assert.equal(running(pid), false, `pid ${pid} outlived the timeout`);
  });

  test('an abort ends a child that hangs, and its children, at once', async () => {
    const script = await hangingScript('abort.sh');
    const controller = new AbortController();
    const result = await runProcess(script, [], { cwd: dir, env, signal: controller.signal, onLine: () => controller.abort() });
    assert.equal(result.interrupted, true);
    for (const pid of await pidsOf(script)) assert.equal(running(pid), false, `pid ${pid} outlived the abort`);
  });

  test('the first interrupt is one SIGINT to the group; the stop signal kills it', async () => {
    // One process that counts the interrupts it gets and keeps running: only the stop can end
    // it. No shell: bash reports a child killed by the group's SIGKILL ("Killed") when the
    // signal reaches the child first, a line this test would then see.
    const counter = "process.on('SIGINT', () => console.log('got INT')); console.log('ready'); setInterval(() => {}, 1000);";
    const interrupt = new AbortController();
    const stop = new AbortController();
    const lines: string[] = [];
    const result = await runProcess(process.execPath, ['-e', counter], {
      cwd: dir,
      env,
      signal: interrupt.signal,
      stop: stop.signal,
      onAbort: 'interrupt',
      onLine: (line) => {
        lines.push(line);
        if (line === 'ready') interrupt.abort();
        if (line === 'got INT') stop.abort();
      },
    });
    assert.deepEqual(lines, ['ready', 'got INT']);
    assert.equal(result.killed, true);
  });

  test('every line passes the redactor before the callback, the tail and the kept output see it', async () => {
    const seen: string[] = [];
    const result = await runProcess('bash', ['-c', 'echo "key=s3cr3t-value"; echo "also s3cr3t-value" >&2'], {
      cwd: dir,
      env,
      redact: (text) => text.split('s3cr3t-value').join('[redacted]'),
      onLine: (line, stream) => seen.push(`${stream}:${line}`),
    });
    assert.equal(result.exitCode, 0);
    assert.deepEqual(seen.sort(), ['stderr:also [redacted]', 'stdout:key=[redacted]']);
    assert.equal(result.stdout, 'key=[redacted]\n');
    assert.ok(!result.output.includes('s3cr3t'));
  });

  test('a missing binary or directory is a spawn error, not an exit code', async () => {
    const missing = await runProcess(join(dir, 'nope'), [], { cwd: dir, env });
    assert.match(missing.spawnError ?? '', /not found or not executable/);
    const nowhere = await runProcess('true', [], { cwd: join(dir, 'no-such-dir'), env });
    assert.match(nowhere.spawnError ?? '', /ENOENT/);
    assert.equal(nowhere.exitCode, null);
  });
});
