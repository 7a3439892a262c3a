import assert from 'node:assert/strict';
import { chmod, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../sandbox/harness.js';
import { projectCopy } from '../../sandbox/project-copy.js';
import { isExecutable } from '../../lib/tools/cache.js';
import { readToolsLock } from '../../lib/tools/tools-lock.js';
import { runCli } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { suiteTools, testToolStatus } from '../support/tools.js';

// The source-built provider must be in the tools cache: the point is that a real run ignores it.
const tools = await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);
const unit = 'platform/infra/terragrunt/us-east-1/ecr-public-repository';
const { terraformProvider: pin } = await readToolsLock(process.cwd());
const recorded = ['TF_CLI_CONFIG_FILE', 'TF_PLUGIN_CACHE_DIR', 'TF_CLI_ARGS_init'] as const;

/** A terragrunt that writes down how terraform is set up for it, then runs the real one. */
async function recordingTerragrunt(dir: string): Promise<{ bin: string; record: string }> {
  const bin = join(dir, 'terragrunt');
  const record = join(dir, 'record');
  const lines = recorded.map((name) => `printf '%s=%s\\n' ${name} "\${${name}-<unset>}" >> "${record}"`);
  await writeFile(bin, ['#!/bin/sh', `[ "$1" = --version ] || {`, ...lines, '}', `exec "${tools.terragrunt}" "$@"`, ''].join('\n'));
  await chmod(bin, 0o755);
  return { bin, record };
}

async function lastRecord(record: string): Promise<Record<string, string>> {
  const entries = (await readFile(record, 'utf8')).trim().split('\n').slice(-recorded.length);
  return Object.fromEntries(entries.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
}

describe('where terraform gets the AWS provider', () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;
  let scratch: string;
  let wrapper: { bin: string; record: string };
  const committedLock = join(process.cwd(), unit, '.terraform.lock.hcl');

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });
  before(async () => {
    scratch = await mkdtemp(join(tmpdir(), 'provider-source-'));
    wrapper = await recordingTerragrunt(scratch);
  });
  after(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  /** A real run: the sandbox's AWS, but not its toolchain (TOOLS_PROVIDER_MIRROR unset), and the committed lock file. */
  const realRun = async (extra: Record<string, string>) => {
    await cp(committedLock, join(project.dir, unit, '.terraform.lock.hcl'));
    const env = { ...sandbox.env, DEPLOY_STATE_BUCKET: 'e2e-provider-source', DEPLOY_TERRAGRUNT_PATH: wrapper.bin, ...extra };
    delete (env as Record<string, string | undefined>).TOOLS_PROVIDER_MIRROR;
    return runCli(['init'], env, project.dir);
  };

  test('a run that is not a rehearsal hands terragrunt no mirror config, though the cache holds the built provider', async () => {
    const built = (await testToolStatus()).statuses.find((s) => s.name === 'aws-provider');
    assert.ok(built !== undefined && (await isExecutable(built.path)), 'precondition: the tools cache holds the source-built provider');
    const result = await realRun({});
    const seen = await lastRecord(wrapper.record);
    assert.equal(seen.TF_CLI_CONFIG_FILE, '<unset>', 'no CLI config of ours: terraform goes to its registry');
    assert.equal(seen.TF_PLUGIN_CACHE_DIR, '<unset>', 'no plugin cache of ours');
    assert.equal(seen.TF_CLI_ARGS_init, '-lockfile=readonly', 'init never rewrites the committed lock file');
    // This machine reaches no Terraform registry: init fails there, and says so with the fix.
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout + result.stderr, /registry\.terraform\.io/);
    assert.match(result.stderr, /fix: Terraform could not get the AWS provider from its registry/);
    assert.equal(await readFile(join(project.dir, unit, '.terraform.lock.hcl'), 'utf8'), await readFile(committedLock, 'utf8'));
  });

  test("the operator's own CLI config, plugin cache and init arguments pass through", async () => {
    const mirror = join(scratch, 'operator-mirror');
    await mkdir(mirror);
    const config = join(scratch, 'operator.tfrc');
    await writeFile(config, `provider_installation {\n  filesystem_mirror {\n    path = ${JSON.stringify(mirror)}\n  }\n}\n`);
    const cache = join(scratch, 'operator-plugins');
    const result = await realRun({ TF_CLI_CONFIG_FILE: config, TF_PLUGIN_CACHE_DIR: cache, TF_CLI_ARGS_init: '-upgrade=false' });
    const seen = await lastRecord(wrapper.record);
    assert.deepEqual(seen, {
      TF_CLI_CONFIG_FILE: config,
      TF_PLUGIN_CACHE_DIR: cache,
      TF_CLI_ARGS_init: '-upgrade=false -lockfile=readonly',
    });
    // The operator's (empty) mirror has no 6.47.0: terraform looked there, as the operator asked.
    assert.equal(result.code, 1, result.stderr);
    assert.match(result.stdout + result.stderr, new RegExp(mirror.replace(/[/.]/g, '\\$&')));
  });

  test('a lock file written by the source-built provider is refused by lint', async () => {
    const rehearsal = await projectCopy();
    try {
      const init = await runCli(['init'], { ...sandbox.env, DEPLOY_STATE_BUCKET: 'e2e-provider-source-mirror' }, rehearsal.dir);
      assert.equal(init.code, 0, init.stderr);
      const written = await readFile(join(rehearsal.dir, unit, '.terraform.lock.hcl'), 'utf8');
      assert.doesNotMatch(written, /"zh:/, 'the mirror leaves h1: hashes of one platform only');
      const lint = await runCli(['lint', '--only', 'provider-locks'], {}, rehearsal.dir);
      assert.equal(lint.code, 1, lint.stdout + lint.stderr);
      // Built from source here, the mirror holds the Go proxy's snapshot, a later patch than the release.
      const mirrored = (await testToolStatus()).statuses.find((s) => s.name === 'aws-provider')?.required ?? '';
      if (mirrored !== pin.version)
        assert.match(lint.stdout + lint.stderr, new RegExp(`locks ${pin.source} ${mirrored}, not the pinned release ${pin.version}`));
      assert.match(
        lint.stdout + lint.stderr,
        /ecr-public-repository\/\.terraform\.lock\.hcl: has no zh: hashes: it was written against a local mirror/,
      );
    } finally {
      await rehearsal.remove();
    }
  });
});
