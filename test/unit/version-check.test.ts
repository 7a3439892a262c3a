import assert from 'node:assert/strict';
import { chmod, mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { checkVersion, findOnPath, parseVersion, probeEnv, spawnRunner } from '../../lib/tools/version-check.js';
import '../support/no-leftovers.js';

/** The machine's own terraform: a real binary at a version other than the pin. */

async function script(dir: string, name: string, body: string): Promise<string> {
  await mkdir(dir, { recursive: true });
  const file = join(dir, name);
  await writeFile(file, `#!/bin/sh\n${body}\n`);
  await chmod(file, 0o755);
  return file;
}

describe('version parsing', () => {
  it('reads the version line of each tool', () => {
    assert.equal(parseVersion('terraform', 'Terraform v1.14.5\non linux_amd64\n'), '1.14.5');
    assert.equal(parseVersion('terragrunt', 'terragrunt version v0.99.2\n'), '0.99.2');
    assert.equal(parseVersion('tflint', 'TFLint version 0.64.0\n+ ruleset.terraform (0.13.0-bundled)\n'), '0.64.0');
    // Ours and the release binaries print the stamped version; a `go install` one its module version.
    assert.equal(
      parseVersion('actionlint', '1.7.12\ninstalled by building from source\nbuilt with go1.26.8 compiler for linux/amd64\n'),
      '1.7.12',
    );
    assert.equal(parseVersion('actionlint', 'v1.7.12\ninstalled by building from source\n'), '1.7.12');
    assert.equal(parseVersion('actionlint', '(devel)\ninstalled by building from source\n'), undefined);
  });

  it('keeps suffixes so a dev build never passes for a release', () => {
    assert.equal(parseVersion('terraform', 'Terraform v1.14.5-dev\non linux_amd64\n'), '1.14.5-dev');
  });

  it('finds nothing in unrelated output', () => {
    assert.equal(parseVersion('terraform', 'OpenTofu v1.9.0\n'), undefined);
    assert.equal(parseVersion('terragrunt', 'Terraform v1.14.5\n'), undefined);
  });
});

describe('checkVersion', () => {
  it('reports a terraform 1.11.4 as a mismatch against 1.14.5', async () => {
    const bin = await script(await mkdtemp(join(tmpdir(), 'vc-')), 'terraform', 'echo "Terraform v1.11.4"; echo "on linux_amd64"');
    const check = await checkVersion('terraform', bin, '1.14.5', { env: process.env, runner: spawnRunner, timeoutMs: 30_000 });
    assert.equal(check.ok, false);
    assert.equal(check.installed, '1.11.4');
    assert.equal(check.required, '1.14.5');
    assert.match(check.problem ?? '', /is 1\.11\.4, not 1\.14\.5/);
  });

  it('accepts the exact version', async () => {
    const bin = await script(await mkdtemp(join(tmpdir(), 'vc-')), 'terraform', 'echo "Terraform v1.14.5"; echo "on linux_amd64"');
    assert.deepEqual(await checkVersion('terraform', bin, '1.14.5', { env: process.env, runner: spawnRunner, timeoutMs: 30_000 }), {
      ok: true,
      installed: '1.14.5',
      required: '1.14.5',
    });
  });

  it('runs the probe without TF_CLI_ARGS*, which terraform would append to `version`', async () => {
    const bin = await script(
      await mkdtemp(join(tmpdir(), 'vc-')),
      'terraform',
      'if [ -n "$TF_CLI_ARGS$TF_CLI_ARGS_version" ]; then echo "unknown flag $TF_CLI_ARGS$TF_CLI_ARGS_version" >&2; exit 1; fi\necho "Terraform v1.14.5"',
    );
    const env = { ...process.env, TF_CLI_ARGS: '-no-color', TF_CLI_ARGS_version: '-json' };
    const check = await checkVersion('terraform', bin, '1.14.5', { env, runner: spawnRunner, timeoutMs: 30_000 });
    assert.equal(check.ok, true, check.problem ?? '');
    assert.deepEqual(
      Object.keys(probeEnv(env)).filter((k) => k.startsWith('TF_CLI_ARGS')),
      [],
    );
  });

  it('explains a failing or silent binary', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vc-'));
    const failing = await script(dir, 'terragrunt', 'echo boom >&2; exit 3');
    const failed = await checkVersion('terragrunt', failing, '0.99.2', { env: process.env, runner: spawnRunner, timeoutMs: 30_000 });
    assert.equal(failed.ok, false);
    assert.match(failed.problem ?? '', /--version failed \(exit 3: boom\)/);
    const silent = await script(join(dir, 's'), 'terragrunt', 'echo hello');
    assert.match(
      (await checkVersion('terragrunt', silent, '0.99.2', { env: process.env, runner: spawnRunner, timeoutMs: 30_000 })).problem ?? '',
      /printed no version/,
    );
  });
});

describe('process helpers', () => {
  it('findOnPath picks the first executable and skips plain files', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'path-'));
    await mkdir(join(dir, 'a'));
    await writeFile(join(dir, 'a', 'tool'), 'not executable');
    const wanted = await script(join(dir, 'b'), 'tool', 'true');
    await script(join(dir, 'c'), 'tool', 'true');
    assert.equal(await findOnPath('tool', [join(dir, 'a'), join(dir, 'b'), join(dir, 'c')].join(':')), wanted);
    assert.equal(await findOnPath('absent', join(dir, 'b')), undefined);
  });

  it('spawnRunner reports a command that cannot start instead of throwing', async () => {
    const result = await spawnRunner({ command: join(tmpdir(), 'no-such-binary-here'), args: [], env: {} });
    assert.equal(result.exitCode, null);
    assert.match(result.spawnError ?? '', /not found or not executable/);
  });

  it('spawnRunner streams lines and keeps a tail of both streams', async () => {
    const bin = await script(await mkdtemp(join(tmpdir(), 'run-')), 'talk', 'echo out1; echo err1 >&2; echo out2; exit 4');
    const seen: string[] = [];
    const result = await spawnRunner({ command: bin, args: [], env: {}, onLine: (line, stream) => seen.push(`${stream}:${line}`) });
    assert.equal(result.exitCode, 4);
    assert.equal(result.stdout, 'out1\nout2\n');
    assert.deepEqual([...seen].sort(), ['stderr:err1', 'stdout:out1', 'stdout:out2']);
    assert.deepEqual([...result.tail].sort(), ['err1', 'out1', 'out2']);
  });
});
