import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveTools } from '../../lib/tools/resolve.js';
import { script, statusOf, toolSandbox as sandbox, tripwireGo } from '../support/tool-sandbox.js';
import '../support/no-leftovers.js';

/** A `go` that writes a binary printing `banner` wherever `-o` says, like a successful build. */
async function buildingGo(pathDir: string, banner: string): Promise<void> {
  await script(
    join(pathDir, 'go'),
    [
      'while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out="$2"; fi; shift; done',
      `printf '#!/bin/sh\\necho "${banner}"\\n' > "$out"; /bin/chmod +x "$out"`,
    ].join('\n'),
  );
}

/**
 * A source archive like the upstream `git archive` ones (one top folder) in a
 * TOOLS_SOURCE_DIR, and the project's tools.lock.json pinning `pinned` (default: its hash).
 */
async function sourceArchive(s: Awaited<ReturnType<typeof sandbox>>, tool: string, version: string, pinned?: string) {
  const tree = join(s.root, 'upstream', `${tool}-${version}`);
  await mkdir(tree, { recursive: true });
  await writeFile(join(tree, 'go.mod'), `module example.com/${tool}\n`);
  const sourceDir = join(s.root, 'toolchain-src');
  await mkdir(sourceDir);
  const file = join(sourceDir, `${tool}-${version}.tar.gz`);
  execFileSync('tar', ['-czf', file, '-C', join(s.root, 'upstream'), `${tool}-${version}`]);
  const sha256 = createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
  const lockFile = join(s.project, 'tools.lock.json');
  const lock = JSON.parse(await readFile(lockFile, 'utf8')) as { go: Record<string, { sourceArchive: unknown }> };
  const entry = lock.go[tool];
  assert.ok(entry);
  entry.sourceArchive = { file: basename(file), sha256: pinned ?? sha256, topDir: `${tool}-${version}` };
  await writeFile(lockFile, JSON.stringify(lock));
  s.ctx.env.TOOLS_SOURCE_DIR = sourceDir;
  s.ctx.env.PATH = `${s.pathDir}:/usr/bin:/bin`;
  return { file, sha256, tree };
}

describe('resolveTools: terraform and terragrunt from a source archive (TOOLS_SOURCE_DIR)', () => {
  it('builds inside the extracted tree after checking the pinned sha256, then removes the tree', async () => {
    const s = await sandbox();
    await buildingGo(s.pathDir, 'terragrunt version v0.99.2');
    const archive = await sourceArchive(s, 'terragrunt', '0.99.2');
    const result = await resolveTools(s.ctx, { install: true, only: ['terragrunt'], tools: s.tools() }, { runner: s.runner });
    const status = statusOf(result, 'terragrunt');
    assert.equal(status.source, 'built', status.detail);
    assert.equal(result.paths.terragrunt, join(s.cache, 'bin', 'terragrunt', '0.99.2', 'terragrunt'));
    const buildAt = s.commands.findIndex((c) => basename(c[0] ?? '') === 'go');
    const build = s.commands[buildAt] ?? [];
    assert.deepEqual(build.slice(1, 5), ['build', '-v', '-trimpath', '-buildvcs=false']);
    assert.ok(build.includes('-ldflags=-s -w -X github.com/gruntwork-io/go-commons/version.Version=v0.99.2'), build.join(' '));
    assert.equal(build.at(-1), '.');
    const srcRoot = join(s.cache, 'build', 'terragrunt-0.99.2', 'src');
    assert.equal(s.cwds[buildAt], join(srcRoot, 'terragrunt-0.99.2'), 'go build runs inside the extracted tree');
    assert.equal(existsSync(srcRoot), false, 'the extracted tree is removed after the build');
    assert.ok(s.log.lines.some((l) => l.includes(`from ${archive.file} (sha256 verified)`)));
  });

  it('refuses an archive whose sha256 differs, naming both hashes, and builds nothing', async () => {
    const s = await sandbox();
    const marker = await tripwireGo(s.pathDir);
    const pinned = 'f'.repeat(64);
    const archive = await sourceArchive(s, 'terraform', '1.14.5', pinned);
    const status = statusOf(
      await resolveTools(s.ctx, { install: true, only: ['terraform'], tools: s.tools() }, { runner: s.runner }),
      'terraform',
    );
    assert.equal(status.source, 'unavailable');
    assert.ok(status.detail.includes(`its sha256 is ${archive.sha256}, but tools.lock.json pins ${pinned}`), status.detail);
    assert.match(status.detail, /nothing was built from it/);
    assert.equal(existsSync(marker), false, 'go never ran, not even through the proxy');
    assert.equal(existsSync(join(s.cache, 'build', 'terraform-1.14.5', 'src')), false, 'nothing was extracted');
  });

  it('a TOOLS_SOURCE_DIR without the archive is an error, not a silent switch to the proxy', async () => {
    const s = await sandbox();
    const marker = await tripwireGo(s.pathDir);
    s.ctx.env.TOOLS_SOURCE_DIR = join(s.root, 'empty');
    const status = statusOf(
      await resolveTools(s.ctx, { install: true, only: ['terraform'], tools: s.tools() }, { runner: s.runner }),
      'terraform',
    );
    assert.equal(status.source, 'unavailable');
    assert.match(status.detail, /no terraform-1\.14\.5\.tar\.gz in TOOLS_SOURCE_DIR/);
    assert.equal(existsSync(marker), false);
  });

  it('without TOOLS_SOURCE_DIR and with the proxy refusing, the reason and the fix name TOOLS_SOURCE_DIR first', async () => {
    const s = await sandbox();
    await script(join(s.pathDir, 'go'), 'echo "go: proxy says no" >&2; exit 1');
    const status = statusOf(
      await resolveTools(s.ctx, { install: true, only: ['terragrunt'], tools: s.tools() }, { runner: s.runner }),
      'terragrunt',
    );
    assert.equal(status.source, 'unavailable');
    assert.match(
      status.detail,
      /^TOOLS_SOURCE_DIR is not set, so terragrunt 0\.99\.2 was not built from its source archive terragrunt-0\.99\.2\.tar\.gz; /,
    );
    assert.match(status.detail, /cannot build terragrunt 0\.99\.2: go mod tidy exited 1/);
    assert.match(status.detail, /fix: export TOOLS_SOURCE_DIR=.*asdf install.*npm run tools/);
  });
});
