import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { chmod, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { satisfiesMinimum } from '../../tasks/doctor/runtime-checks.js';
import { readToolVersions } from '../../lib/tools/tool-versions.js';
import '../support/no-leftovers.js';

const pinned = (await readToolVersions(process.cwd())).nodejs;

describe('the Node.js the project runs on', () => {
  test('.tool-versions and engines name the same release, and the tests run on it or newer', async () => {
    const engines = (JSON.parse(await readFile('package.json', 'utf8')) as { engines: { node: string } }).engines.node;
    assert.equal(engines, `>=${pinned}`);
    assert.ok(satisfiesMinimum(process.version, engines), `${process.version} does not satisfy ${engines}`);
    const typesNode = (JSON.parse(await readFile('package.json', 'utf8')) as { devDependencies: Record<string, string> }).devDependencies[
      '@types/node'
    ];
    assert.equal(typesNode?.split('.')[0], pinned?.split('.')[0], '@types/node follows the Node major');
  });
});

/**
 * .ci/node.sh against stand-ins for the machine's node and for npm (the registry client):
 * the stand-in npm "installs" a node that reports the requested version, or a broken one.
 */
describe('.ci/node.sh', () => {
  let dir: string;
  before(async () => {
    dir = await mkdtemp(join(tmpdir(), 'ci-node-'));
  });
  after(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  async function machine(name: string, nodeVersion: string, npmWorks: boolean): Promise<{ bin: string; cache: string }> {
    const bin = join(dir, name, 'bin');
    await mkdir(bin, { recursive: true });
    await writeFile(join(bin, 'node'), `#!/bin/sh\necho v${nodeVersion}\n`);
    // npm install --prefix <dir> ... node@<version>: leaves <dir>/node_modules/.bin/node behind, as the real package does.
    const installed = npmWorks ? 'echo "echo v$want"' : 'echo "exit 3"';
    const node = '"$prefix/node_modules/.bin/node"';
    await writeFile(
      join(bin, 'npm'),
      [
        '#!/bin/sh',
        `echo "npm $*" >> "${join(dir, name, 'npm.log')}"`,
        'prefix="$3"; for a; do want="${a#node@}"; done',
        'mkdir -p "$prefix/node_modules/.bin"',
        `echo '#!/bin/sh' > ${node}`,
        `${installed} >> ${node}`,
        `chmod +x ${node}`,
        '',
      ].join('\n'),
    );
    await Promise.all([chmod(join(bin, 'node'), 0o755), chmod(join(bin, 'npm'), 0o755)]);
    return { bin, cache: join(dir, name, 'cache') };
  }

  async function run(m: { bin: string; cache: string }): Promise<{ code: number | null; out: string }> {
    // As .ci/run and the README use it: run, never sourced, its stdout put first on PATH.
    const child = spawn('bash', ['-c', 'set -euo pipefail; PATH="$(bash .ci/node.sh):$PATH"; echo "node now: $(node --version)"'], {
      env: { PATH: `${m.bin}:/usr/bin:/bin`, TOOLS_CACHE_DIR: m.cache, HOME: dir },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    return { code, out };
  }

  test('an older machine Node gets the pinned one from the registry, once, first on PATH', async () => {
    const m = await machine('old', '20.20.2', true);
    const first = await run(m);
    assert.equal(first.code, 0, first.out);
    assert.match(first.out, new RegExp(`node now: v${pinned}`));
    const again = await run(m);
    assert.match(again.out, new RegExp(`node now: v${pinned}`));
    const installs = (await readFile(join(dir, 'old', 'npm.log'), 'utf8')).trim().split('\n');
    assert.deepEqual(installs, [
      `npm install --prefix ${join(m.cache, `node-${pinned}`)} --no-save --no-package-lock --no-audit --no-fund node@${pinned}`,
    ]);
  });

  test('a machine Node that is not older is kept and nothing is installed', async () => {
    const m = await machine('new', '99.0.0', true);
    const r = await run(m);
    assert.equal(r.code, 0, r.out);
    assert.match(r.out, /node now: v99\.0\.0/);
    await assert.rejects(readFile(join(dir, 'new', 'npm.log')), { code: 'ENOENT' });
  });

  test('an install that gives no working node stops CI with the fix', async () => {
    const m = await machine('broken', '18.0.0', false);
    const r = await run(m);
    assert.equal(r.code, 1);
    assert.match(r.out, /did not give a working node[\s\S]*asdf install/);
  });
});
