import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { assertNothingRunsIn } from '../support/no-leftovers.js';

const support = fileURLToPath(new URL('../support/no-leftovers.js', import.meta.url));

test('a test process that leaves a child running fails at exit, naming it', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'leftovers-'));
  const file = join(dir, 'leaves-one.mjs');
  // The process under check starts a detached child that never ends by itself (its own group, as the runner starts tools) and exits.
  await writeFile(
    file,
    `import ${JSON.stringify(support)};\nimport { spawn } from 'node:child_process';\nconst c = spawn('tail', ['-f', '/dev/null'], { detached: true, stdio: 'ignore' });\nconsole.log(c.pid);\nc.unref();\n`,
  );
  const run = spawnSync(process.execPath, [file], { encoding: 'utf8' });
  await rm(dir, { recursive: true, force: true });
  const pid = Number(run.stdout.trim());
  assert.equal(run.status, 1);
  assert.match(run.stderr, new RegExp(`left 1 process\\(es\\) running:\\n  pid ${pid}: tail -f /dev/null`));
});

test('an orphan working in a project copy is named and killed before the copy goes; the hook fails', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'project-orphan-'));
  // Detached and unreferenced: no descendant of this process once its parent is gone, as terraform under a killed terragrunt.
  const orphan = spawn('tail', ['-f', '/dev/null'], { cwd: dir, detached: true, stdio: 'ignore' });
  orphan.unref();
  const ended = once(orphan, 'exit');
  await assert.rejects(
    assertNothingRunsIn(dir),
    new RegExp(`1 process\\(es\\) still ran in ${dir} after its tests:\\n  pid ${orphan.pid}: tail -f /dev/null`),
  );
  const [, signal] = (await ended) as [number | null, string | null];
  assert.equal(signal, 'SIGKILL');
  await assertNothingRunsIn(dir);
  await rm(dir, { recursive: true, force: true });
});
