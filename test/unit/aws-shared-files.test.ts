import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { assertSharedFilesReadable } from '../../lib/aws/config-files.js';
import { ExitCode, TaskError } from '../../lib/core/errors.js';
import { checkVersion, spawnRunner } from '../../lib/tools/version-check.js';
import '../support/no-leftovers.js';

test('an AWS_CONFIG_FILE that is a FIFO (or a directory) is refused with 64 naming it, before anything reads it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'aws-files-'));
  const fifo = join(dir, 'config');
  execFileSync('mkfifo', [fifo]);
  const home = { HOME: dir };
  await assert.rejects(
    assertSharedFilesReadable({ ...home, AWS_CONFIG_FILE: fifo }),
    (error: unknown) =>
      error instanceof TaskError &&
      error.exitCode === ExitCode.config &&
      error.message.startsWith(`${fifo} (AWS_CONFIG_FILE) is a named pipe`),
  );
  await assert.rejects(
    assertSharedFilesReadable({ ...home, AWS_SHARED_CREDENTIALS_FILE: dir }),
    /\(AWS_SHARED_CREDENTIALS_FILE\) is a directory/,
  );
  const file = join(dir, 'real');
  await writeFile(file, '[default]\n');
  await assertSharedFilesReadable({ ...home, AWS_CONFIG_FILE: file, AWS_SHARED_CREDENTIALS_FILE: join(dir, 'absent') });
  await rm(dir, { recursive: true, force: true });
});

test('a version probe gets no secrets, is bounded by TOOLS_PROBE_TIMEOUT_SECONDS, and what it prints is redacted', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'probe-'));
  const bin = join(dir, 'terraform');
  const secret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY';
  // Prints what it got, and a secret it found elsewhere (here: one it knows), then fails.
  await writeFile(bin, `#!/bin/bash\necho "env has: \${AWS_SECRET_ACCESS_KEY:-nothing}; found: ${secret}" >&2\nexit 1\n`, { mode: 0o755 });
  const env = { PATH: process.env.PATH ?? '', AWS_SECRET_ACCESS_KEY: secret };
  const failed = await checkVersion('terraform', bin, '1.14.5', { env, runner: spawnRunner, timeoutMs: 30_000 });
  assert.match(failed.problem ?? '', /env has: nothing; found: \[redacted\]/);
  await writeFile(bin, '#!/bin/bash\nexec tail -f /dev/null\n', { mode: 0o755 });
  const hung = await checkVersion('terraform', bin, '1.14.5', { env, runner: spawnRunner, timeoutMs: 1000 });
  assert.match(hung.problem ?? '', /no answer within 1s; stopped/);
  await rm(dir, { recursive: true, force: true });
});
