import assert from 'node:assert/strict';
import { readFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { resolveCredentials } from '../../lib/aws/credentials.js';
import { loadConfig } from '../../lib/config/load.js';
import { ExitCode, TaskError } from '../../lib/core/errors.js';
import '../support/no-leftovers.js';

// The SDK reads the shared files from this process's environment: this file's own (node --test runs each file alone).
let dir: string;
const secret = 'token=SuperSecretToken12345';
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'credential-process-'));
  await writeFile(join(dir, 'hang.sh'), `#!/bin/bash\necho $$ > ${dir}/hang.pid\nexec tail -f /dev/null\n`, { mode: 0o755 });
  await writeFile(join(dir, 'fail.sh'), `#!/bin/bash\necho "fatal: ${secret} rejected" >&2\nexit 3\n`, { mode: 0o755 });
  const profiles = `[profile hang]\ncredential_process = ${dir}/hang.sh\n[profile fail]\ncredential_process = ${dir}/fail.sh\n`;
  await writeFile(join(dir, 'config'), profiles);
  process.env.AWS_CONFIG_FILE = join(dir, 'config');
  process.env.AWS_SHARED_CREDENTIALS_FILE = join(dir, 'credentials');
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

function scopeFor(profile: string, signal: AbortSignal) {
  const env = { PATH: process.env.PATH ?? '', AWS_PROFILE: profile, DEPLOY_AWS_TIMEOUT_SECONDS: '1', AWS_CONFIG_FILE: join(dir, 'config') };
  return { scope: { config: loadConfig({}, env), signal }, env };
}

test('a credential_process that never answers is bounded by the AWS timeout, and is not left running', async () => {
  const { scope, env } = scopeFor('hang', new AbortController().signal);
  await assert.rejects(resolveCredentials(scope, env), (error: unknown) => error instanceof TaskError && error.code === 'ENDPOINT_SILENT');
  const pid = Number(await readFile(join(dir, 'hang.pid'), 'utf8'));
  // SIGKILLed: gone, or a zombie the SDK's exec is about to reap.
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8').catch(() => ') Z');
  assert.equal(stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3), 'Z');
});

test('a signal ends the wait on a credential_process at once, with 130', async () => {
  const controller = new AbortController();
  const { scope, env } = scopeFor('hang', controller.signal);
  const lookup = resolveCredentials({ ...scope, config: loadConfig({}, { ...env, DEPLOY_AWS_TIMEOUT_SECONDS: '600' }) }, env);
  setImmediate(() => controller.abort());
  await assert.rejects(lookup, (error: unknown) => error instanceof TaskError && error.exitCode === ExitCode.interrupted);
});

test('a failing credential_process is named with the fix, and what it printed (a secret here) is not', async () => {
  const { scope, env } = scopeFor('fail', new AbortController().signal);
  await assert.rejects(resolveCredentials(scope, env), (error: unknown) => {
    assert.ok(error instanceof TaskError);
    assert.match(error.message, /credential_process of AWS profile "fail" failed/);
    assert.ok(!`${error.message} ${error.hint ?? ''}`.includes('SuperSecret'), error.message);
    return true;
  });
});
