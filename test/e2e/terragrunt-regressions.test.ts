import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { prepareDeploy, type DeployContext } from '../../lib/deploy/prepare.js';
import { testContext } from '../support/context.js';
import { terragruntArgs } from '../../lib/terragrunt/args.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { runCli } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { suiteTools, suiteToolsEnv } from '../support/tools.js';

// Two bugs reported against this terragrunt line, checked with the real 0.99.2 binary
// and the same arguments and environment the tasks hand it.
await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

async function findFile(dir: string, name: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries.filter((e) => e.isFile() && e.name === name).map((e) => join(e.parentPath, e.name));
}

describe('terragrunt 0.99.2 regressions', () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;
  let dc: DeployContext;
  const bucket = 'e2e-regressions-state';
  const env = (): Record<string, string> => ({ ...sandbox.env, DEPLOY_STATE_BUCKET: bucket });

  /** terragrunt plan -detailed-exitcode, run directly: the exit code terragrunt itself returns. */
  async function barePlanExitCode(): Promise<number | null> {
    const planFile = join(dc.unitDir, 'regression.tfplan');
    const args = terragruntArgs(
      { kind: 'plan', planFile, detailedExitCode: true },
      { terraformPath: dc.toolchain.terraform, unitDir: dc.unitDir, color: false, lockTimeoutSeconds: dc.config.lockTimeoutSeconds },
    );
    const child = spawn(dc.toolchain.terragrunt, args, { cwd: dc.unitDir, env: dc.env, stdio: 'ignore' });
    const [code] = (await once(child, 'close')) as [number | null];
    return code;
  }

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });
  before(async () => {
    const ctx = testContext({ projectDir: project.dir, env: { ...suiteToolsEnv(), ...env() } });
    const init = await runCli(['init'], env(), project.dir);
    assert.equal(init.code, 0, init.stderr);
    dc = await prepareDeploy(loadConfig({}, ctx.env), ctx, 'require');
  });

  // gruntwork-io/terragrunt#5475 and #5646: "expected type 'bool', got string" from 0.99.0 on.
  test('use_lockfile = true reaches the S3 backend as a bool through root.hcl merge()', async () => {
    const [backend] = await findFile(join(dc.unitDir, '.terragrunt-cache'), 'backend.tf');
    assert.ok(backend, 'terragrunt init generated backend.tf');
    assert.match(await readFile(backend, 'utf8'), /^\s*use_lockfile\s*=\s*true\s*$/m);
    // And terraform used it: the init above locked nothing, but a plan takes the lock file.
    sandbox.awsProxy.resetRequestLog();
    assert.equal(await barePlanExitCode(), 2);
    const locks = sandbox.awsProxy.requests().filter((r) => r.path.includes('terraform.tfstate.tflock'));
    // Taken with a conditional PUT, read back and deleted on release.
    assert.equal(locks[0]?.method, 'PUT');
    assert.equal(locks.at(-1)?.method, 'DELETE');
  });

  // gruntwork-io/terragrunt#5531 and #5586: wrong combined exit codes with -detailed-exitcode in 0.98 to 0.99.
  test('plan -detailed-exitcode through terragrunt returns 2 for changes and 0 for none', async () => {
    assert.equal(await barePlanExitCode(), 2);
    const apply = await runCli(['apply', '--yes'], env(), project.dir);
    assert.equal(apply.code, 0, apply.stderr);
    assert.equal(await barePlanExitCode(), 0);
    const destroy = await runCli(['destroy', '--yes'], env(), project.dir);
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.equal(await barePlanExitCode(), 2);
  });
});
