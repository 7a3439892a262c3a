import assert from 'node:assert/strict';
import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { after, before, describe, test } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { createRedactor } from '../../lib/core/redact.js';
import { runTerragrunt, type RunOptions } from '../../lib/terragrunt/run.js';
import '../support/no-leftovers.js';

// A stand-in at the process seam: these tests are about how the runner treats any
// child (output, exit codes, signals), which a real terragrunt would only slow down.
const script = `#!/usr/bin/env node
const [mode] = process.argv.slice(2);
console.log('secret in output: ' + process.env.AWS_SECRET_ACCESS_KEY);
if (mode === 'fail') { console.error('Error: Error acquiring the state lock'); console.error('  ID: abc-123'); process.exit(1); }
if (mode === 'changes') process.exit(2);
if (mode === 'stubborn') {
  process.on('SIGINT', () => console.log('ignoring SIGINT'));
  console.log('ready');
  setInterval(() => {}, 1000);
} else if (mode === 'family') {
  // Like terragrunt: it ignores the first SIGINT (it would forward it only after 15 s)
  // and waits for its child (terraform), which must get the signal from the group itself.
  process.on('SIGINT', () => {});
  const { spawn } = require('node:child_process');
  const grandchild = spawn(process.execPath, ['-e', "process.on('SIGINT', () => { console.log('terraform got SIGINT'); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000);"], { stdio: 'inherit' });
  grandchild.on('exit', () => process.exit(1));
} else if (mode === 'wait') {
  process.on('SIGINT', () => { console.log('got SIGINT, releasing lock'); process.exit(1); });
  console.log('ready');
  setInterval(() => {}, 1000);
} else process.exit(0);
`;

let dir: string;
let bin: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tg-run-'));
  bin = join(dir, 'fake-terragrunt');
  await writeFile(bin, script);
  await chmod(bin, 0o755);
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

const secret = 'wJalrXUtnFEMI-test-secret-value';

function options(mode: string, extra: Partial<RunOptions> = {}): RunOptions & { out: PassThrough; err: PassThrough; text: () => string } {
  const out = new PassThrough();
  const err = new PassThrough();
  const chunks: string[] = [];
  out.on('data', (c: Buffer) => chunks.push(c.toString()));
  err.on('data', (c: Buffer) => chunks.push(c.toString()));
  return {
    bin,
    args: [mode],
    cwd: dir,
    env: { ...process.env, AWS_SECRET_ACCESS_KEY: secret },
    redact: createRedactor([secret]),
    signal: new AbortController().signal,
    stdout: out,
    stderr: err,
    out,
    err,
    text: () => chunks.join(''),
    ...extra,
  };
}

describe('terragrunt runner', () => {
  test('streams output with secrets redacted', async () => {
    const o = options('ok');
    const result = await runTerragrunt(o);
    assert.equal(result.exitCode, 0);
    assert.match(o.text(), /secret in output: \[redacted\]/);
    assert.ok(!o.text().includes(secret));
  });

  test('a failure carries command, directory, exit code and the known-failure hint', async () => {
    const o = options('fail');
    await assert.rejects(runTerragrunt(o), (error: unknown) => {
      assert.ok(error instanceof TaskError);
      assert.match(error.message, /exit code 1/);
      assert.match(error.message, new RegExp(`directory: ${dir}`));
      assert.match(error.message, /fake-terragrunt fail/);
      assert.match(error.hint ?? '', /npm run unlock -- --lock-id abc-123/);
      assert.ok(!error.message.includes(secret));
      return true;
    });
  });

  test('exit code 2 is an answer only when accepted (-detailed-exitcode)', async () => {
    assert.equal((await runTerragrunt(options('changes', { acceptExitCodes: [2] }))).exitCode, 2);
    await assert.rejects(runTerragrunt(options('changes')), TaskError);
  });

  test('an abort reaches the child as SIGINT and the run reports 130', { timeout: 20_000 }, async () => {
    const controller = new AbortController();
    const o = options('wait', { signal: controller.signal });
    o.out.on('data', (c: Buffer) => {
      if (c.toString().includes('ready')) controller.abort();
    });
    const result = await runTerragrunt(o);
    assert.equal(result.exitCode, 130);
    assert.equal(result.interrupted, true);
    assert.match(o.text(), /got SIGINT, releasing lock/);
  });

  test(
    'the interrupt reaches the whole process group at once, so terraform under terragrunt stops itself',
    { timeout: 10_000 },
    async () => {
      const controller = new AbortController();
      const o = options('family', { signal: controller.signal });
      o.out.on('data', (c: Buffer) => {
        if (c.toString().includes('ready')) controller.abort();
      });
      const result = await runTerragrunt(o);
      assert.equal(result.exitCode, 130);
      assert.equal(result.killed, false);
      assert.match(o.text(), /terraform got SIGINT/);
    },
  );

  // The bound only keeps a broken escalation from hanging the suite.
  test('a second Ctrl-C (the stop signal) kills a group that ignores the first', { timeout: 20_000 }, async () => {
    const controller = new AbortController();
    const stop = new AbortController();
    const o = options('stubborn', { signal: controller.signal, stop: stop.signal });
    o.out.on('data', (c: Buffer) => {
      const text = c.toString();
      if (text.includes('ready')) controller.abort();
      if (text.includes('ignoring SIGINT')) stop.abort();
    });
    const result = await runTerragrunt(o);
    assert.equal(result.exitCode, 130);
    assert.equal(result.killed, true);
    assert.match(o.text(), /ignoring SIGINT/);
  });

  test('a missing binary says how to install it', async () => {
    await assert.rejects(
      runTerragrunt(options('ok', { bin: join(dir, 'nope') })),
      (error: unknown) => error instanceof TaskError && /asdf install/.test(error.hint ?? ''),
    );
  });

  test('captured stdout is returned, not printed', async () => {
    const o = options('ok', { captureStdout: true });
    const result = await runTerragrunt(o);
    assert.match(result.stdout, /secret in output: \[redacted\]/);
    assert.equal(o.text(), '');
  });
});
