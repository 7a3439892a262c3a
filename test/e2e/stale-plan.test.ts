import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { DescribeRepositoriesCommand, ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { IAMClient, ListRolesCommand } from '@aws-sdk/client-iam';
import type { Sandbox } from '../../sandbox/harness.js';
import { runCli, type CliResult } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

const pushRole = 'us-east-1/github-actions-ecr-push';
const firstLine = (text: string): string => text.split('\n').find((l) => l.startsWith('✖')) ?? '';

describe('a saved plan made from other inputs is never applied, with the real pinned binaries', () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;
  const cli = (args: string[], branch: string): Promise<CliResult> =>
    runCli(args, { ...sandbox.env, DEPLOY_STATE_BUCKET: 'e2e-stale-plan', DEPLOY_GITHUB_BRANCH: branch }, project.dir);
  /** What the sandbox holds: nothing may be there after a refusal. */
  const applied = async (): Promise<string[]> => {
    const ecr = new ECRPUBLICClient(sandbox.clientOptions(sandbox.ecrProxy.url));
    const iam = new IAMClient(sandbox.clientOptions(sandbox.awsProxy.url));
    try {
      const repositories = (await ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? [];
      const roles = (await iam.send(new ListRolesCommand({}))).Roles ?? [];
      return [...repositories.map((r) => `repository ${r.repositoryName ?? ''}`), ...roles.map((r) => `role ${r.RoleName ?? ''}`)];
    } finally {
      ecr.destroy();
      iam.destroy();
    }
  };

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });
  before(async () => {
    const init = await runCli(['init'], { ...sandbox.env, DEPLOY_STATE_BUCKET: 'e2e-stale-plan' }, project.dir);
    assert.equal(init.code, 0, init.stderr);
  });

  test('planned for main, apply --yes for another branch: refused by name, the reviewed plan kept, nothing applied', async () => {
    const plan = await cli(['plan', '--unit', pushRole], 'main');
    assert.equal(plan.code, 0, plan.stderr);
    const planFile = join(project.dir, 'platform/infra/terragrunt', pushRole, 'terragrunt.tfplan');
    const reviewed = await readFile(planFile);
    const apply = await cli(['apply', '--unit', pushRole, '--yes'], 'release/next');
    assert.equal(apply.code, 1, apply.stderr);
    assert.equal(
      firstLine(apply.stderr),
      `✖ The saved plan ${planFile} was made from other inputs: DEPLOY_GITHUB_BRANCH changed since. With --yes it is not applied, nor a fresh plan in its place; nothing was changed.`,
    );
    assert.match(
      apply.stderr,
      /fix: Plan again with the settings you mean to apply \(npm run plan -- --unit us-east-1\/github-actions-ecr-push\)/,
    );
    // Neither the saved plan nor a fresh one reached terraform.
    assert.doesNotMatch(apply.stdout, /Terraform will perform|Apply complete|Plan:/);
    assert.deepEqual(await readFile(planFile), reviewed);
    assert.deepEqual(await applied(), []);
  });

  test('apply --all --yes --saved-plans-only: the unit that reads the branch is refused, so no unit is applied', async () => {
    const plan = await cli(['plan', '--all'], 'main');
    assert.equal(plan.code, 0, plan.stderr);
    const apply = await cli(['apply', '--all', '--yes', '--saved-plans-only'], 'release/next');
    assert.equal(apply.code, 1, apply.stderr);
    assert.match(
      apply.stderr,
      /us-east-1\/github-actions-ecr-push: its saved plan was made from other inputs: DEPLOY_GITHUB_BRANCH changed since; nothing unreviewed is applied/,
    );
    // The repository unit does not read the branch: its plan was current, and it was not applied either.
    assert.match(apply.stderr, /us-east-1\/ecr-public-repository\s+saved plan/);
    assert.match(apply.stderr, /Nothing was applied/);
    assert.deepEqual(await applied(), []);
  });
});
