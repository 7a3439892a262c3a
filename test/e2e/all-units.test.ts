import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DescribeRepositoriesCommand, ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { GetRolePolicyCommand, IAMClient } from '@aws-sdk/client-iam';
import type { Sandbox } from '../../sandbox/harness.js';
import { runCli, type CliResult } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
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
  let project: ProjectCopy;
  const cli = (args: string[]): Promise<CliResult> => runCli(args, { ...sandbox.env, DEPLOY_STATE_BUCKET: 'e2e-all-units' }, project.dir);
  const repositories = async (): Promise<string[]> => {
    const client = new ECRPUBLICClient(sandbox.clientOptions(sandbox.ecrProxy.url));
    const listed = await client.send(new DescribeRepositoriesCommand({}));
    client.destroy();
    return (listed.repositories ?? []).map((r) => r.repositoryName ?? '').sort();
  };

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });
  before(async () => {
    await addDependentUnit(project.dir);
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
    // CI applies only what was reviewed: a unit edited after its plan is refused, and nothing is applied.
    const dependentHcl = join(project.dir, 'platform/infra/terragrunt/us-east-1/dependent-repository/terragrunt.hcl');
    const reviewed = await readFile(dependentHcl, 'utf8');
    await writeFile(dependentHcl, `${reviewed}# edited after the plan\n`);
    const refused = await cli(['apply', '--all', '--yes', '--saved-plans-only']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(
      refused.stderr,
      /us-east-1\/dependent-repository: its saved plan was made from other inputs: \S*dependent-repository\/terragrunt\.hcl changed since; nothing unreviewed is applied/,
    );
    assert.match(refused.stderr, /Nothing was applied/);
    assert.deepEqual(await repositories(), []);
    await writeFile(dependentHcl, reviewed);
    // The reviewed plans, the dependent's made again once its dependency exists (same changes as reviewed).
    const apply = await cli(['apply', '--all', '--yes', '--saved-plans-only']);
    assert.equal(apply.code, 0, apply.stderr);
    assert.match(
      apply.stderr,
      /us-east-1\/dependent-repository: \+1 ~0 -0 \(planned again after us-east-1\/ecr-public-repository is applied\)/,
    );
    assert.match(apply.stderr, /us-east-1\/ecr-public-repository\s+applied/);
    assert.match(apply.stderr, /us-east-1\/dependent-repository\s+applied/);
    // Each applied unit is read back by its own module's rules, the dependent's repository included.
    assert.match(apply.stderr, /Verified caylent-solutions\/devcontainer-base in ECR Public\./);
    assert.match(apply.stderr, /Verified us-east-1\/dependent-repository against AWS\./);
    // Not mock/name-mirror: the plan applied was made after the repository existed.
    assert.deepEqual(await repositories(), ['caylent-solutions/devcontainer-base', 'caylent-solutions/devcontainer-base-mirror']);
    const again = await cli(['plan', '--all', '--detailed-exitcode']);
    assert.equal(again.code, 0, again.stderr);
  });

  test("the push-role unit alone: apply and output read back that unit's own outputs, not the repository's", async () => {
    const unit = 'us-east-1/github-actions-ecr-push';
    const role = 'arn:aws:iam::123456789012:role/github-actions-ecr-push';
    const apply = await cli(['apply', '--unit', unit, '--yes']);
    assert.equal(apply.code, 0, apply.stderr);
    assert.match(apply.stderr, new RegExp(`Applied and verified ${unit}:\\nROLE_ARN\\s+${role}\\nROLE_NAME\\s+github-actions-ecr-push\\n`));
    assert.doesNotMatch(apply.stderr, /registry_alias|repository has not been applied/);
    const json = await cli(['output', '--unit', unit, '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    assert.deepEqual(JSON.parse(json.stdout), { ROLE_ARN: role, ROLE_NAME: 'github-actions-ecr-push' });
    const text = await cli(['output', '--unit', unit]);
    assert.equal(text.code, 0, text.stderr);
    assert.doesNotMatch(text.stderr, /Gallery:/);
  });

  test("output --all prints each unit and the downstream keys, ROLE_ARN beside the repository's", async () => {
    const json = await cli(['output', '--all', '--format', 'json']);
    assert.equal(json.code, 0, json.stderr);
    const out = JSON.parse(json.stdout) as Record<string, string> & { units: Record<string, Record<string, string>> };
    assert.equal(out.ROLE_ARN, 'arn:aws:iam::123456789012:role/github-actions-ecr-push');
    assert.equal(out.REPOSITORY_URI, 'public.ecr.aws/sandbox-alias/caylent-solutions/devcontainer-base');
    assert.deepEqual(Object.keys(out.units).sort(), [
      'us-east-1/dependent-repository',
      'us-east-1/ecr-public-repository',
      'us-east-1/github-actions-ecr-push',
    ]);
    // The role's policy names the repository's real ARN, read back from IAM (not the plan's placeholder).
    const iam = new IAMClient(sandbox.clientOptions(sandbox.awsProxy.url));
    const policy = await iam.send(new GetRolePolicyCommand({ RoleName: 'github-actions-ecr-push', PolicyName: 'ecr-public-push' }));
    iam.destroy();
    assert.match(decodeURIComponent(policy.PolicyDocument ?? ''), new RegExp(`"${out.REPOSITORY_ARN}"`));
    const env = await cli(['output', '--all', '--format', 'env']);
    assert.equal(env.code, 0, env.stderr);
    assert.deepEqual(
      env.stdout
        .trim()
        .split('\n')
        .map((l) => l.split('=')[0]),
      ['ALIAS', 'ACCOUNT_ID', 'REPOSITORY_NAME', 'REPOSITORY_ARN', 'REPOSITORY_URI', 'ROLE_ARN'],
    );
  });

  test('doctor --all reads the push role back: trust on the configured branch, policy on the repository', async () => {
    const good = await cli(['doctor', '--all', '--json']);
    const role = (JSON.parse(good.stdout) as { checks: Array<{ id: string; status: string; message: string }> }).checks.find(
      (c) => c.id === 'push-role',
    );
    assert.equal(role?.status, 'pass', good.stdout);
    assert.match(
      role.message,
      /trusted by repo:caylent-solutions\/devcontainer-base:ref:refs\/heads\/main; bounded by arn:aws:iam::123456789012:policy\/github-actions-ecr-push-boundary; pushes to arn:aws:ecr-public::123456789012:repository\/caylent-solutions\/devcontainer-base only/,
    );
    const otherBranch = await runCli(
      ['doctor', '--all', '--json'],
      { ...sandbox.env, DEPLOY_STATE_BUCKET: 'e2e-all-units', DEPLOY_GITHUB_BRANCH: 'release' },
      project.dir,
    );
    const drifted = (JSON.parse(otherBranch.stdout) as { checks: Array<{ id: string; status: string; message: string }> }).checks.find(
      (c) => c.id === 'push-role',
    );
    assert.equal(drifted?.status, 'fail');
    assert.match(
      drifted.message,
      /trusts repo:caylent-solutions\/devcontainer-base:ref:refs\/heads\/main, not repo:caylent-solutions\/devcontainer-base:ref:refs\/heads\/release/,
    );
  });

  test('destroy --all destroys dependents first', async () => {
    const destroy = await cli(['destroy', '--all', '--yes']);
    assert.equal(destroy.code, 0, destroy.stderr);
    // The repository unit last: both other units depend on it.
    assert.match(
      destroy.stderr,
      /in the order they are destroyed: us-east-1\/[a-z-]+, us-east-1\/[a-z-]+, us-east-1\/ecr-public-repository\n/,
    );
    assert.deepEqual(await repositories(), []);
  });
});
