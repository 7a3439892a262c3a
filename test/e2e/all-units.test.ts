import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DescribeRepositoriesCommand, ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import type { Sandbox } from '../../sandbox/harness.js';
import { projectCopy } from '../../sandbox/project-copy.js';
import { registerSecret, runCli, type CliResult } from '../support/cli.js';
import { sandboxForTests } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

/**
 * A second unit beside the repository unit, reading the repository's name through a
 * Terragrunt dependency (mock outputs for plan only), so --all has an order to keep and a
 * dependency whose real output must reach the dependent unit.
 */
async function addDependentUnit(projectDir: string): Promise<void> {
  const units = join(projectDir, 'platform/infra/terragrunt/us-east-1');
  const first = await readFile(join(units, 'ecr-public-repository/terragrunt.hcl'), 'utf8');
  const second = first
    .replace(
      'repository_name = get_env("DEPLOY_REPOSITORY_NAME")',
      'repository_name = "${dependency.repository.outputs.repository_name}-mirror"',
    )
    .concat(
      '\ndependency "repository" {\n  config_path = "../ecr-public-repository"\n  mock_outputs = { repository_name = "mock/name" }\n  mock_outputs_allowed_terraform_commands = ["validate", "plan"]\n}\n',
    );
  await mkdir(join(units, 'dependent-repository'));
  await writeFile(join(units, 'dependent-repository/terragrunt.hcl'), second);
}

describe('every unit with --all, in dependency order, with the real pinned binaries', () => {
  let sandbox: Sandbox;
  let project: Awaited<ReturnType<typeof projectCopy>>;
  const cli = (args: string[]): Promise<CliResult> => runCli(args, { ...sandbox.env, DEPLOY_STATE_BUCKET: 'e2e-all-units' }, project.dir);
  const repositories = async (): Promise<string[]> => {
    const client = new ECRPUBLICClient(sandbox.clientOptions(sandbox.ecrProxy.url));
    const listed = await client.send(new DescribeRepositoriesCommand({}));
    client.destroy();
    return (listed.repositories ?? []).map((r) => r.repositoryName ?? '').sort();
  };

  before(async () => {
    sandbox = await sandboxForTests();
    registerSecret(sandbox.credentials.secretAccessKey);
    registerSecret(sandbox.credentials.sessionToken);
    project = await projectCopy();
    await addDependentUnit(project.dir);
  });
  after(async () => {
    await sandbox.stop();
    await project.remove();
  });

  test('plan --all plans each unit into its own saved plan, in order, and exits 2 with changes', async () => {
    assert.equal((await cli(['init'])).code, 0);
    const plan = await cli(['plan', '--all', '--detailed-exitcode']);
    assert.equal(plan.code, 2, plan.stderr);
    const table = plan.stderr.slice(plan.stderr.lastIndexOf('unit '));
    assert.match(table, /us-east-1\/ecr-public-repository\s+planned\s+\+1 ~0 -0/);
    assert.match(table, /us-east-1\/dependent-repository\s+planned\s+\+1 ~0 -0/);
    assert.ok(table.indexOf('ecr-public-repository') < table.indexOf('dependent-repository'), table);
  });

  test("apply --all applies in order; the dependent unit is planned again and gets the dependency's real output", async () => {
    const apply = await cli(['apply', '--all', '--yes']);
    assert.equal(apply.code, 0, apply.stderr);
    assert.match(
      apply.stderr,
      /us-east-1\/dependent-repository: \+1 ~0 -0 \(planned again after us-east-1\/ecr-public-repository is applied\)/,
    );
    assert.match(apply.stderr, /us-east-1\/ecr-public-repository\s+applied/);
    assert.match(apply.stderr, /us-east-1\/dependent-repository\s+applied/);
    // Not mock/name-mirror: the plan applied was made after the repository existed.
    assert.deepEqual(await repositories(), ['caylent-solutions/devcontainer-base', 'caylent-solutions/devcontainer-base-mirror']);
    const again = await cli(['plan', '--all', '--detailed-exitcode']);
    assert.equal(again.code, 0, again.stderr);
  });

  test('output --all prints each unit and the downstream keys', async () => {
    const json = await cli(['output', '--all', '--format', 'json']);
    assert.equal(json.code, 1, 'no unit outputs role_arn here: output --all says so');
    assert.match(json.stderr, /No unit outputs role_arn/);
  });

  test('destroy --all destroys dependents first', async () => {
    const destroy = await cli(['destroy', '--all', '--yes']);
    assert.equal(destroy.code, 0, destroy.stderr);
    assert.match(destroy.stderr, /in the order they are destroyed: us-east-1\/dependent-repository, us-east-1\/ecr-public-repository/);
    assert.deepEqual(await repositories(), []);
  });
});
