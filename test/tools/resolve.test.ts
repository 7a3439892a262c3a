import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, copyFile, mkdir, mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { TaskError } from '../../lib/core/errors.js';
import { testContext } from '../support/context.js';
import { cliConfigContent } from '../../lib/tools/cache.js';
import { requireTools, resolveTools, type ResolveResult, type ToolName } from '../../lib/tools/resolve.js';
import { spawnRunner, type Runner } from '../../lib/tools/version-check.js';
import { run as runToolsTask } from '../../tasks/tools.js';

const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const providerSource = 'registry.terraform.io/hashicorp/aws';

async function script(file: string, body: string): Promise<string> {
  await mkdir(dirname(file), { recursive: true });
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

/** A temp project (the repo's pins), an empty cache, an empty PATH dir, and a runner that records every command. */
async function sandbox() {
  const root = await mkdtemp(join(tmpdir(), 'resolve-'));
  const project = join(root, 'project');
  const cache = join(root, 'cache');
  const pathDir = join(root, 'path');
  await mkdir(project);
  await mkdir(pathDir);
  for (const file of ['.tool-versions', 'tools.lock.json']) await copyFile(join(repoRoot, file), join(project, file));
  const commands: string[][] = [];
  const cwds: Array<string | undefined> = [];
  const runner: Runner = (request) => {
    commands.push([request.command, ...request.args]);
    cwds.push(request.cwd);
    return spawnRunner(request);
  };
  const ctx = testContext({ projectDir: project, env: { PATH: pathDir, HOME: root, TOOLS_CACHE_DIR: cache } });
  const log = ctx.log;
  const ran = (name: string): boolean => commands.some((c) => basename(c[0] ?? '') === name);
  return { root, project, cache, pathDir, ctx, log, runner, commands, cwds, ran };
}

function statusOf(result: ResolveResult, name: ToolName) {
  const status = result.statuses.find((s) => s.name === name);
  assert.ok(status, `no status for ${name}`);
  return status;
}

/** A `go` that must never run: if it does, it leaves a marker next to itself. */
async function tripwireGo(pathDir: string): Promise<string> {
  const marker = join(pathDir, 'go-was-run');
  await script(join(pathDir, 'go'), `touch ${marker}; exit 99`);
  return marker;
}

describe('resolveTools: terraform', () => {
  it('uses the binary on PATH when it reports exactly the pinned version', async () => {
    const s = await sandbox();
    const fake = await script(join(s.pathDir, 'terraform'), 'echo "Terraform v1.14.5"; echo "on linux_amd64"');
    const result = await resolveTools(s.ctx, { install: false, only: ['terraform'] }, { runner: s.runner });
    assert.deepEqual(statusOf(result, 'terraform'), {
      name: 'terraform',
      required: '1.14.5',
      source: 'path',
      detail: 'already installed (on PATH)',
      path: fake,
    });
    assert.equal(result.paths.terraform, fake);
  });

  it('does not accept a terraform 1.11.4 on PATH and says why', async () => {
    const s = await sandbox();
    await script(join(s.pathDir, 'terraform'), 'echo "Terraform v1.11.4"; echo "on linux_amd64"');
    const status = statusOf(await resolveTools(s.ctx, { install: false, only: ['terraform'] }, { runner: s.runner }), 'terraform');
    assert.equal(status.source, 'unavailable');
    assert.match(status.detail, /is 1\.11\.4, not 1\.14\.5/);
    assert.match(status.detail, /npm run tools/);
  });

  it('reuses a cached binary and builds nothing, even with install', async () => {
    const s = await sandbox();
    const marker = await tripwireGo(s.pathDir);
    const cached = await script(join(s.cache, 'bin', 'terraform', '1.14.5', 'terraform'), 'echo "Terraform v1.14.5"');
    const result = await resolveTools(s.ctx, { install: true, only: ['terraform'] }, { runner: s.runner });
    assert.equal(statusOf(result, 'terraform').source, 'cache');
    assert.equal(statusOf(result, 'terraform').detail, 'already installed (cached)');
    assert.equal(result.paths.terraform, cached);
    assert.deepEqual(s.commands, [[cached, 'version']]);
    assert.equal(s.ran('go'), false);
    assert.equal(existsSync(marker), false);
  });

  it('builds through the wrapper module and reports the proxy refusal with the go output', async () => {
    const s = await sandbox();
    await script(
      join(s.pathDir, 'go'),
      [
        'echo "go: example.com/nested@v0.0.0-1: reading https://proxy.invalid/example.com/nested/@v/v0.0.0-1.zip: 403 Forbidden" >&2',
        'printf "\\tserver response: This module version is not available.\\n" >&2',
        'exit 1',
      ].join('\n'),
    );
    const status = statusOf(await resolveTools(s.ctx, { install: true, only: ['terraform'] }, { runner: s.runner }), 'terraform');
    assert.equal(status.source, 'unavailable');
    assert.match(
      status.detail,
      /proxy refused .* 403 Forbidden \(This module version is not available\.\): example\.com\/nested@v0\.0\.0-1/,
    );
    assert.match(status.detail, /fix: .*npm run tools/);
    assert.deepEqual(
      s.commands.map((c) => [basename(c[0] ?? ''), ...c.slice(1)]),
      [['go', 'mod', 'tidy']],
    );
    const goMod = await readFile(join(s.cache, 'build', 'terraform-1.14.5', 'go.mod'), 'utf8');
    assert.match(goMod, /^require github\.com\/hashicorp\/terraform v1\.14\.5$/m);
    assert.match(goMod, /^tool github\.com\/hashicorp\/terraform$/m);
    assert.match(
      goMod,
      /^replace github\.com\/hashicorp\/terraform\/internal\/legacy => github\.com\/hashicorp\/terraform\/internal\/legacy v0\.0\.0-20260211142149-cd1e42f77b0f$/m,
    );
  });
});

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
    const result = await resolveTools(s.ctx, { install: true, only: ['terragrunt'] }, { runner: s.runner });
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
    const status = statusOf(await resolveTools(s.ctx, { install: true, only: ['terraform'] }, { runner: s.runner }), 'terraform');
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
    const status = statusOf(await resolveTools(s.ctx, { install: true, only: ['terraform'] }, { runner: s.runner }), 'terraform');
    assert.equal(status.source, 'unavailable');
    assert.match(status.detail, /no terraform-1\.14\.5\.tar\.gz in TOOLS_SOURCE_DIR/);
    assert.equal(existsSync(marker), false);
  });

  it('without TOOLS_SOURCE_DIR and with the proxy refusing, the reason and the fix name TOOLS_SOURCE_DIR first', async () => {
    const s = await sandbox();
    await script(join(s.pathDir, 'go'), 'echo "go: proxy says no" >&2; exit 1');
    const status = statusOf(await resolveTools(s.ctx, { install: true, only: ['terragrunt'] }, { runner: s.runner }), 'terragrunt');
    assert.equal(status.source, 'unavailable');
    assert.match(
      status.detail,
      /^TOOLS_SOURCE_DIR is not set, so terragrunt 0\.99\.2 was not built from its source archive terragrunt-0\.99\.2\.tar\.gz; /,
    );
    assert.match(status.detail, /cannot build terragrunt 0\.99\.2: go mod tidy exited 1/);
    assert.match(status.detail, /fix: export TOOLS_SOURCE_DIR=.*asdf install.*npm run tools/);
  });
});

describe('resolveTools: failing fast', () => {
  // The bound only keeps a regression from hanging the suite: the build below never ends by itself.
  it('stops the other builds as soon as one tool cannot be provided', { timeout: 30_000 }, async () => {
    const s = await sandbox();
    // terragrunt's build is refused at once; tflint's would run for a long time (it waits on a never-ending read).
    await script(
      join(s.pathDir, 'go'),
      ['case "$PWD" in', '  *tflint*) exec tail -f /dev/null ;;', 'esac', 'echo "go: proxy says no" >&2', 'exit 1'].join('\n'),
    );
    s.ctx.env.PATH = `${s.pathDir}:/usr/bin:/bin`;
    const result = await resolveTools(s.ctx, { install: true, only: ['terragrunt', 'tflint'] }, { runner: s.runner });
    assert.match(statusOf(result, 'terragrunt').detail, /go: proxy says no/);
    const tflint = statusOf(result, 'tflint');
    assert.equal(tflint.source, 'unavailable');
    assert.equal(tflint.detail, 'not finished: stopped because terragrunt cannot be provided (see that line)');
    // The cause leads the error a task shows; the stopped builds follow in one line.
    assert.throws(
      () => requireTools(result, ['tflint', 'terragrunt']),
      (error: unknown) =>
        error instanceof TaskError &&
        /^missing tools:\n- terragrunt 0\.99\.2: TOOLS_SOURCE_DIR is not set.*\n- not finished, stopped by the failure above: tflint$/s.test(
          error.message,
        ),
    );
  });
});

describe('resolveTools: Go tools from the cache layout', () => {
  it('builds tflint with go mod tidy + go build, publishes it and verifies its version', async () => {
    const s = await sandbox();
    await script(
      join(s.pathDir, 'go'),
      [
        'if [ "$1" = mod ]; then echo "go: downloading example.com/dep v1.0.0" >&2; exit 0; fi',
        'while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out="$2"; fi; shift; done',
        'printf \'#!/bin/sh\\necho "TFLint version 0.64.0"\\n\' > "$out"; /bin/chmod +x "$out"',
      ].join('\n'),
    );
    const result = await resolveTools(s.ctx, { install: true, only: ['tflint'] }, { runner: s.runner });
    const status = statusOf(result, 'tflint');
    assert.equal(status.source, 'built', status.detail);
    assert.equal(status.path, join(s.cache, 'bin', 'tflint', '0.64.0', 'tflint'));
    const build = s.commands.find((c) => c[1] === 'build') ?? [];
    assert.ok(
      build.includes('-trimpath') && build.includes('-ldflags=-s -w') && build.at(-1) === 'github.com/terraform-linters/tflint',
      build.join(' '),
    );
    assert.equal(s.commands.at(-1)?.[0], status.path, 'the published binary is version-checked');
  });

  it('links an earlier build output (the by-hand provider build) into the mirror and writes the CLI config', async () => {
    const s = await sandbox();
    const marker = await tripwireGo(s.pathDir);
    const built = await script(join(s.cache, 'build', 'aws-provider-6.47.1', 'bin', 'terraform-provider-aws'), 'exit 1');
    const result = await resolveTools(s.ctx, { install: true, only: ['aws-provider'] }, { runner: s.runner });
    const status = statusOf(result, 'aws-provider');
    assert.equal(status.source, 'cache', status.detail);
    const mirrored = join(s.cache, 'provider-mirror', providerSource, '6.47.1', 'linux_amd64', 'terraform-provider-aws_v6.47.1');
    assert.equal(status.path, mirrored);
    assert.equal((await stat(mirrored)).ino, (await stat(built)).ino, 'hard link, not a 1 GB copy');
    assert.equal(existsSync(marker), false);
    assert.equal(await readFile(result.paths.cliConfigFile, 'utf8'), cliConfigContent(join(s.cache, 'provider-mirror'), providerSource));
    assert.equal(result.paths.providerVersion, '6.47.1');
  });

  it('writes a CLI config that pins the provider to the mirror only', () => {
    const text = cliConfigContent('/c/provider-mirror', providerSource);
    assert.match(
      text,
      /provider_installation \{\s+filesystem_mirror \{\s+path\s+= "\/c\/provider-mirror"\s+include = \["registry\.terraform\.io\/hashicorp\/aws"\]\s+\}\s+\}/,
    );
    assert.doesNotMatch(text, /direct|plugin_cache_dir/);
  });
});

describe('resolveTools: Python tools and reporting', () => {
  it('reuses a venv whose pip show reports the pin, and finds botocore through it', async () => {
    const s = await sandbox();
    await script(
      join(s.cache, 'venv', 'moto-5.2.5', 'bin', 'python'),
      'if [ "$3" = show ]; then printf "Name: moto\\nVersion: 5.2.5\\n"; exit 0; fi\nif [ "$1" = -c ]; then echo /fake/botocore/data; exit 0; fi\nexit 9',
    );
    const result = await resolveTools(s.ctx, { install: true, only: ['moto'] }, { runner: s.runner });
    assert.equal(statusOf(result, 'moto').source, 'cache', statusOf(result, 'moto').detail);
    assert.equal(result.paths.botocoreDataDir, '/fake/botocore/data');
    assert.equal(result.paths.motoServer, join(s.cache, 'venv', 'moto-5.2.5', 'bin', 'moto_server'));
    assert.ok(!s.commands.some((c) => c.includes('install')), 'no pip install');
  });

  it('returns every status without throwing; requireTools lists each missing tool', async () => {
    const s = await sandbox();
    await tripwireGo(s.pathDir);
    const result = await resolveTools(s.ctx, { install: false }, { runner: s.runner });
    assert.equal(result.statuses.length, 7);
    assert.ok(result.statuses.every((st) => st.source === 'unavailable'));
    assert.equal(s.ran('go'), false);
    assert.throws(
      () => requireTools(result, ['terraform', 'checkov']),
      (error: unknown) =>
        error instanceof TaskError &&
        /- terraform 1\.14\.5: .*\n- checkov 3\.3\.30: /.test(error.message) &&
        error.hint === 'fix what the first lines say, then: npm run tools',
    );
  });

  it('the tools task prints one line per tool and exits 1 naming what it cannot provide', async () => {
    const s = await sandbox();
    await script(join(s.cache, 'bin', 'terraform', '1.14.5', 'terraform'), 'echo "Terraform v1.14.5"');
    await script(join(s.pathDir, 'go'), 'echo "go: no network here" >&2; exit 1');
    const code = await runToolsTask({ only: ['terraform', 'terragrunt'] }, s.ctx, { runner: s.runner });
    assert.equal(code, 1);
    const cachedLine = /^terraform\s+1\.14\.5\s+cache\s+\S+\/bin\/terraform\/1\.14\.5\/terraform\s+already installed \(cached\)$/;
    assert.ok(
      s.log.lines.some((l) => cachedLine.test(l)),
      s.log.lines.join('\n'),
    );
    assert.ok(
      s.log.lines.some((l) => /^terragrunt\s+0\.99\.2\s+unavailable\s+-$/.test(l)),
      s.log.lines.join('\n'),
    );
    assert.ok(
      s.log.lines.some(
        (l) =>
          l.startsWith('✖ terragrunt 0.99.2: TOOLS_SOURCE_DIR is not set') &&
          l.includes('cannot build terragrunt 0.99.2: go mod tidy exited 1') &&
          l.includes('go: no network here'),
      ),
    );
    assert.equal(await runToolsTask({ only: ['terraform'] }, s.ctx, { runner: s.runner }), 0);
  });
});
