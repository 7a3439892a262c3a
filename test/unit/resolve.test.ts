import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { cliConfigContent } from '../../lib/tools/cache.js';
import { resolveTools } from '../../lib/tools/resolve.js';
import { requireTools } from '../../lib/tools/require.js';
import { run as runToolsTask } from '../../tasks/tools.js';
import { script, statusOf, toolSandbox as sandbox, tripwireGo } from '../support/tool-sandbox.js';
import '../support/no-leftovers.js';

const providerSource = 'registry.terraform.io/hashicorp/aws';

describe('resolveTools: terraform', () => {
  it('uses the binary on PATH when it reports exactly the pinned version', async () => {
    const s = await sandbox();
    const fake = await script(join(s.pathDir, 'terraform'), 'echo "Terraform v1.14.5"; echo "on linux_amd64"');
    const result = await resolveTools(s.ctx, { install: false, only: ['terraform'], tools: s.tools() }, { runner: s.runner });
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
    const status = statusOf(
      await resolveTools(s.ctx, { install: false, only: ['terraform'], tools: s.tools() }, { runner: s.runner }),
      'terraform',
    );
    assert.equal(status.source, 'unavailable');
    assert.match(status.detail, /is 1\.11\.4, not 1\.14\.5/);
    assert.match(status.detail, /npm run tools/);
  });

  it('reuses a cached binary and builds nothing, even with install', async () => {
    const s = await sandbox();
    const marker = await tripwireGo(s.pathDir);
    const cached = await script(join(s.cache, 'bin', 'terraform', '1.14.5', 'terraform'), 'echo "Terraform v1.14.5"');
    const result = await resolveTools(s.ctx, { install: true, only: ['terraform'], tools: s.tools() }, { runner: s.runner });
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
    const status = statusOf(
      await resolveTools(s.ctx, { install: true, only: ['terraform'], tools: s.tools() }, { runner: s.runner }),
      'terraform',
    );
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
    const result = await resolveTools(s.ctx, { install: true, only: ['terragrunt', 'tflint'], tools: s.tools() }, { runner: s.runner });
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
    const result = await resolveTools(s.ctx, { install: true, only: ['tflint'], tools: s.tools() }, { runner: s.runner });
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

  it('builds actionlint with its version stamped, so -version prints the pin, and verifies it', async () => {
    const s = await sandbox();
    await script(
      join(s.pathDir, 'go'),
      [
        'if [ "$1" = mod ]; then exit 0; fi',
        'for a; do case "$a" in -ldflags=*) flags="$a" ;; esac; done',
        'while [ $# -gt 0 ]; do if [ "$1" = -o ]; then out="$2"; fi; shift; done',
        // The binary prints what the -X flag stamped, as the real one does with its version variable.
        'v="${flags##*actionlint.version=}"',
        'printf \'#!/bin/sh\\necho "%s"\\necho "installed by building from source"\\n\' "$v" > "$out"; /bin/chmod +x "$out"',
      ].join('\n'),
    );
    const result = await resolveTools(s.ctx, { install: true, only: ['actionlint'], tools: s.tools() }, { runner: s.runner });
    const status = statusOf(result, 'actionlint');
    assert.equal(status.source, 'built', status.detail);
    assert.equal(result.paths.actionlint, join(s.cache, 'bin', 'actionlint', '1.7.12', 'actionlint'));
    const build = s.commands.find((c) => c[1] === 'build') ?? [];
    assert.ok(build.includes('-ldflags=-s -w -X github.com/rhysd/actionlint.version=1.7.12'), build.join(' '));
    assert.equal(build.at(-1), 'github.com/rhysd/actionlint/cmd/actionlint');
    assert.deepEqual(s.commands.at(-1), [status.path, '-version']);
  });

  it('links an earlier build output (the by-hand provider build) into the mirror and writes the CLI config', async () => {
    const s = await sandbox();
    const marker = await tripwireGo(s.pathDir);
    const built = await script(join(s.cache, 'build', 'aws-provider-6.47.1', 'bin', 'terraform-provider-aws'), 'exit 1');
    const result = await resolveTools(s.ctx, { install: true, only: ['aws-provider'], tools: s.tools() }, { runner: s.runner });
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
    const result = await resolveTools(s.ctx, { install: true, only: ['moto'], tools: s.tools() }, { runner: s.runner });
    assert.equal(statusOf(result, 'moto').source, 'cache', statusOf(result, 'moto').detail);
    assert.equal(result.paths.botocoreDataDir, '/fake/botocore/data');
    assert.equal(result.paths.motoServer, join(s.cache, 'venv', 'moto-5.2.5', 'bin', 'moto_server'));
    assert.ok(!s.commands.some((c) => c.includes('install')), 'no pip install');
  });

  it('returns every status without throwing; requireTools lists each missing tool', async () => {
    const s = await sandbox();
    await tripwireGo(s.pathDir);
    const result = await resolveTools(s.ctx, { install: false, tools: s.tools() }, { runner: s.runner });
    assert.equal(result.statuses.length, 8);
    assert.ok(result.statuses.every((st) => st.source === 'unavailable'));
    assert.equal(s.ran('go'), false);
    assert.throws(
      () => requireTools(result, ['terraform', 'checkov']),
      (error: unknown) =>
        error instanceof TaskError &&
        /- terraform 1\.14\.5: .*\n- checkov 3\.3\.30: /.test(error.message) &&
        error.hint ===
          'fix what the first lines say: install the pinned terraform and terragrunt with asdf install (.tool-versions); contributors offline: npm run tools',
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
