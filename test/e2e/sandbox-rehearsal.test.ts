import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, toolSettingsEnv } from '../support/cli.js';
import { projectCopy } from '../../sandbox/project-copy.js';
import { suiteTools } from '../support/tools.js';

// The README's first command, end to end: `npm run sandbox`, and `--keep` used from another shell.
await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

/** Every file below `dir`, relative, sorted: what a rehearsal must leave as it found it. */
async function tree(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name).slice(dir.length + 1))
    .sort();
}

/** The .env-style lines of .sandbox.env as an environment. */
function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(
    text
      .split('\n')
      .filter((l) => l.includes('='))
      .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
  );
}

describe('npm run sandbox', () => {
  let project: Awaited<ReturnType<typeof projectCopy>>;
  let platformBefore: string[];
  before(async () => {
    project = await projectCopy();
    platformBefore = await tree(join(project.dir, 'platform'));
  });
  after(async () => {
    await project.remove();
  });

  test('rehearses doctor, init, plan, apply and output, prints the URI and leaves the checkout as it was', async () => {
    const first = await runCli(['sandbox'], {}, project.dir);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stdout, /public\.ecr\.aws\/sandbox\/caylent-solutions\/devcontainer-base/);
    assert.deepEqual(await tree(join(project.dir, 'platform')), platformBefore, 'no cache, plan or lock file in the real tree');
    assert.equal(existsSync(join(project.dir, '.sandbox')), false);
    assert.equal(existsSync(join(project.dir, '.sandbox.env')), false);
    // A second rehearsal meets no leftover backend of the first one's sandbox ports.
    const second = await runCli(['sandbox'], {}, project.dir);
    assert.equal(second.code, 0, second.stderr);
    assert.doesNotMatch(second.stderr, /Backend configuration changed/);
  });

  test('--keep serves .sandbox.env to another shell until Ctrl-C, which removes it', async () => {
    const child = spawn(process.execPath, [join(project.dir, 'dist/cli/main.js'), 'sandbox', '--keep'], {
      cwd: project.dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', CI: 'true', ...toolSettingsEnv() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    const up = new Promise<void>((resolve, reject) => {
      child.stderr.on('data', (c: Buffer) => {
        stderr += c.toString();
        if (stderr.includes('Sandbox is up.')) resolve();
      });
      child.on('close', (code) => reject(new Error(`sandbox --keep exited ${String(code)} before it was up:\n${stderr}`)));
    });
    await up;
    const envFile = join(project.dir, '.sandbox.env');
    const sandboxEnv = parseEnvFile(await readFile(envFile, 'utf8'));
    // The account's .env is not read there: its profile would beat the sandbox's empty AWS_PROFILE.
    await writeFile(join(project.dir, '.env'), 'AWS_PROFILE=an-operator-profile\n');
    // From "another shell": only what .sandbox.env says.
    const plan = await runCli(['plan', '--detailed-exitcode'], sandboxEnv, project.dir);
    assert.equal(plan.code, 0, plan.stderr);
    assert.match(plan.stdout, /No changes/);
    const again = await runCli(['sandbox'], {}, project.dir);
    assert.equal(again.code, 1);
    assert.match(again.stderr, /already running \(pid \d+/);
    child.kill('SIGINT');
    const [code] = (await once(child, 'close')) as [number];
    assert.equal(code, 130);
    assert.equal(existsSync(envFile), false);
    assert.equal(existsSync(join(project.dir, '.sandbox')), false);
  });
});
