import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { ensureFolder } from '../../lib/os/file-target.js';
import { guardFile, withUnitGuard } from '../../lib/terragrunt/unit-guard.js';
import { resolveTools } from '../../lib/tools/resolve.js';
import { loadToolSettings } from '../../lib/tools/tool-settings.js';
import { testContext } from '../support/context.js';

let dir: string;
let aFile: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'path-refusals-'));
  aFile = join(dir, 'a-file');
  await writeFile(aFile, 'not a folder\n');
});
after(() => rm(dir, { recursive: true, force: true }));

/** A refusal with the path, what it is for and the fix, as bad input: never a bare errno error. */
function refusal(path: string, what: RegExp, fix: RegExp): (e: unknown) => boolean {
  return (e) => {
    assert.ok(e instanceof TaskError, `not a TaskError: ${String(e)}`);
    assert.equal(e.exitCode, 64);
    assert.ok(e.message.includes(path), e.message);
    assert.match(e.message, what);
    assert.match(e.hint ?? '', fix);
    return true;
  };
}

describe('a path the operator gave that cannot be written', () => {
  test('a folder setting that names a file, or a folder below a file, is refused with the path and the fix', async () => {
    const use = { what: 'the test cache', fix: 'Point TEST_DIR at a writable folder.' };
    await assert.rejects(ensureFolder(aFile, use), refusal(aFile, /the test cache.*is a file, not a folder \(EEXIST\)/, /TEST_DIR/));
    const below = join(aFile, 'sub');
    await assert.rejects(
      ensureFolder(below, use),
      refusal(below, /a part of the path is a file \(ENOTDIR\)|is a file, not a folder/, /TEST_DIR/),
    );
  });

  test('TOOLS_CACHE_DIR naming a file stops npm run tools before any build, with the fix', async () => {
    const env = { PATH: process.env.PATH ?? '', TOOLS_CACHE_DIR: aFile };
    await assert.rejects(
      resolveTools(testContext({ env }), { install: true, tools: loadToolSettings({}, env) }),
      refusal(aFile, /tools cache/, /TOOLS_CACHE_DIR/),
    );
  });

  test("the task's guard file being a folder is refused with the fix, and the work does not run", async () => {
    const unit = join(dir, 'unit');
    await mkdir(join(unit, guardFile), { recursive: true });
    let ran = false;
    const work = (): Promise<void> => {
      ran = true;
      return Promise.resolve();
    };
    await assert.rejects(withUnitGuard(unit, 'terragrunt plan', work), refusal(join(unit, guardFile), /guard file.*folder/, /rm -r/));
    assert.equal(ran, false);
  });
});

describe('a reader that closes stdout early', () => {
  test('ends the task quietly with its own exit code, and the unit guard is released', async () => {
    const unit = join(dir, 'epipe-unit');
    await mkdir(unit);
    const lib = join(process.cwd(), 'dist', 'lib');
    // A task's shape: the process's streams, the unit guard, and output written long after the reader left.
    const script = `
      const { processIo } = await import(${JSON.stringify(join(lib, 'core', 'context.js'))});
      const { withUnitGuard } = await import(${JSON.stringify(join(lib, 'terragrunt', 'unit-guard.js'))});
      const io = processIo();
      await withUnitGuard(${JSON.stringify(unit)}, 'terragrunt plan', async () => {
        for (let i = 0; i < 2000; i += 1) {
          io.stdout.write('x'.repeat(1024) + '\\n');
          await new Promise((r) => setImmediate(r));
        }
      });
      process.exitCode = 0;`;
    const child = spawn(process.execPath, ['--input-type=module', '-e', script], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    // Like `| head -c 100`: take the first chunk, then close the pipe.
    await once(child.stdout, 'data');
    child.stdout.destroy();
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(stderr, '', 'the closed pipe was reported as an error');
    assert.equal(code, 0);
    assert.equal(existsSync(join(unit, guardFile)), false, 'the guard file was left behind');
  });
});
