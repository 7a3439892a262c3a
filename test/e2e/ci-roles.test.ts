// The CI roles in the sandbox, with moto enforcing IAM: an operator applies the CI roles'
// unit (--unit; --all leaves it out), then the tasks run with the credentials of each role, as
// the workflows will. moto judges every S3, STS and IAM call by the role's policies (actions
// and resources; conditions are the evaluator's, see sandbox/moto_server.py); the sandbox's
// own ECR Public server judges nothing, so the ECR Public calls each run made are judged here
// by the IAM policy evaluator against the policy the role holds in IAM.
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { DescribeRepositoriesCommand, ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { GetRoleCommand, GetRolePolicyCommand, IAMClient, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { Sandbox } from '../../sandbox/harness.js';
import { registerSecret, runCli, type CliResult } from '../support/cli.js';
import { decide, type PolicyDocument } from '../support/iam-evaluator.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

const ciRolesUnit = 'us-east-1/github-actions-ci-roles';

describe('the CI roles in the sandbox, with moto enforcing IAM', () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;
  let planRole: Record<string, string>;
  let applyRole: Record<string, string>;
  const roleArn = (name: string): string => `arn:aws:iam::${sandbox.accountId}:role/${name}`;
  const cli = (args: string[], role: Record<string, string> = {}): Promise<CliResult> =>
    runCli(args, { ...sandbox.env, DEPLOY_STATE_BUCKET: 'e2e-ci-roles', ...role }, project.dir);
  const iam = (): IAMClient => new IAMClient(sandbox.clientOptions(sandbox.awsProxy.url));

  /** A session of the role, as aws-actions/configure-aws-credentials gets one (moto does not check the token). */
  async function assume(name: string): Promise<Record<string, string>> {
    const sts = new STSClient(sandbox.clientOptions(sandbox.awsProxy.url));
    const out = await sts.send(
      new AssumeRoleWithWebIdentityCommand({ RoleArn: roleArn(name), RoleSessionName: 'ci', WebIdentityToken: 'sandbox-token' }),
    );
    sts.destroy();
    const c = out.Credentials;
    assert.ok(c?.AccessKeyId && c.SecretAccessKey && c.SessionToken, 'the sandbox STS issued no credentials');
    registerSecret(c.SecretAccessKey);
    registerSecret(c.SessionToken);
    return { AWS_ACCESS_KEY_ID: c.AccessKeyId, AWS_SECRET_ACCESS_KEY: c.SecretAccessKey, AWS_SESSION_TOKEN: c.SessionToken };
  }

  /** How a judged call reads in the report: an IAM or STS action; for S3 the method and the object's name, or the bucket's subresource. */
  function callName(r: { service?: string; action?: string; method: string; path: string }): string {
    if (r.action !== undefined) return `${r.service ?? '?'} ${r.action}`;
    const [path = '', query = ''] = r.path.split('?');
    const key = path.split('/').slice(2).at(-1);
    const subresource = query.split('&')[0]?.split('=')[0] ?? '';
    return key ? `s3 ${r.method} ${key}` : `s3 ${r.method} bucket${subresource ? `?${subresource}` : ''}`;
  }

  /** The S3, STS and IAM calls moto judged since the last reset, and their answers; each kind of call is listed once with its count. */
  function enforced(t: TestContext, run: string): Array<{ call: string; status: number }> {
    const calls = sandbox.awsProxy.requests().map((r) => ({ call: callName(r), status: r.status ?? 0 }));
    const kinds = new Map<string, number>();
    for (const c of calls) kinds.set(`${c.call} -> ${c.status}`, (kinds.get(`${c.call} -> ${c.status}`) ?? 0) + 1);
    t.diagnostic(`${run}: moto judged ${calls.length} calls`);
    for (const [kind, n] of [...kinds].sort()) t.diagnostic(`  ${kind}${n > 1 ? ` (x${n})` : ''}`);
    return calls;
  }

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });

  test('an operator applies the CI roles with --unit: the roles, the boundary and the GitHub OIDC provider', async () => {
    assert.equal((await cli(['init'])).code, 0);
    const plan = await cli(['plan', '--unit', ciRolesUnit]);
    assert.equal(plan.code, 0, plan.stderr);
    const apply = await cli(['apply', '--unit', ciRolesUnit, '--yes']);
    assert.equal(apply.code, 0, apply.stderr);
    // The unit's own values, read back from IAM (not the repository's outputs).
    assert.match(apply.stderr, new RegExp(`Applied and verified ${ciRolesUnit}:\\n`));
    assert.match(apply.stderr, new RegExp(`APPLY_ROLE_ARN +${roleArn('github-actions-ci-apply')}`));
    const output = await cli(['output', '--unit', ciRolesUnit, '--format', 'json']);
    assert.equal(output.code, 0, output.stderr);
    assert.equal((JSON.parse(output.stdout) as Record<string, string>).PLAN_ROLE_ARN, roleArn('github-actions-ci-plan'));
    const client = iam();
    const providers = await client.send(new ListOpenIDConnectProvidersCommand({}));
    assert.deepEqual(
      providers.OpenIDConnectProviderList?.map((p) => p.Arn),
      [`arn:aws:iam::${sandbox.accountId}:oidc-provider/token.actions.githubusercontent.com`],
    );
    for (const name of ['github-actions-ci-plan', 'github-actions-ci-apply'])
      assert.equal((await client.send(new GetRoleCommand({ RoleName: name }))).Role?.Arn, roleArn(name));
    client.destroy();
    // Sessions first: moto's AssumeRoleWithWebIdentity is unsigned, which enforcement refuses.
    planRole = await assume('github-actions-ci-plan');
    applyRole = await assume('github-actions-ci-apply');
  });

  test('the plan role plans every unit without the lock and checks drift; --all leaves the CI roles out; it writes nothing', async (t) => {
    await sandbox.enforceIam(true);
    sandbox.awsProxy.resetRequestLog();
    const plan = await cli(['plan', '--all', '--no-lock', '--detailed-exitcode'], planRole);
    assert.equal(plan.code, 2, plan.stderr);
    assert.match(plan.stderr, new RegExp(`Left out of --all by their exclude block \\(run them with --unit\\): ${ciRolesUnit}`));
    assert.match(plan.stderr, /us-east-1\/ecr-public-repository\s+planned\s+\+1 ~0 -0/);
    assert.match(plan.stderr, /us-east-1\/github-actions-ecr-push\s+planned\s+\+2 ~0 -0/);
    assert.match(plan.stderr, /no plan was saved, only what it changes/);
    for (const unit of ['us-east-1/ecr-public-repository', 'us-east-1/github-actions-ecr-push']) {
      const dir = join(project.dir, 'platform/infra/terragrunt', unit);
      assert.equal(existsSync(join(dir, 'terragrunt.tfplan')), false, `${unit}: a plan made without the lock was saved`);
      const record = JSON.parse(readFileSync(join(dir, 'terragrunt.tfplan.json'), 'utf8')) as { locked?: boolean; summary?: string };
      assert.deepEqual([record.locked, record.summary], [false, unit.endsWith('push') ? '+2 ~0 -0' : '+1 ~0 -0']);
    }
    const drift = await cli(['drift', '--json'], planRole);
    assert.equal(drift.code, 2, drift.stderr);
    assert.deepEqual(
      (JSON.parse(drift.stdout) as { units: Array<{ unit: string; status: string }> }).units.map((u) => [u.unit, u.status]),
      [
        ['us-east-1/ecr-public-repository', 'unapplied'],
        ['us-east-1/github-actions-ecr-push', 'unapplied'],
      ],
    );
    const calls = enforced(t, 'plan --no-lock and drift as the plan role');
    assert.deepEqual(
      calls.filter((c) => c.status === 403),
      [],
    );
    assert.deepEqual(
      sandbox.awsProxy.requests().filter((r) => r.write),
      [],
      'the plan role wrote nothing, the lock included',
    );
  });

  test('apply as the plan role is refused by the sandbox, and nothing is written', async (t) => {
    sandbox.awsProxy.resetRequestLog();
    sandbox.ecrProxy.resetRequestLog();
    const apply = await cli(['apply', '--all', '--yes'], planRole);
    assert.equal(apply.code, 1, apply.stderr);
    assert.match(apply.stderr, /AccessDenied/);
    assert.match(apply.stderr, /Nothing was applied/);
    const calls = enforced(t, 'apply as the plan role');
    const writes = sandbox.awsProxy.requests().filter((r) => r.write);
    assert.ok(writes.length > 0, 'the apply tried to take the lock');
    assert.deepEqual(
      writes.filter((r) => r.status !== 403),
      [],
      'every write was refused',
    );
    assert.ok(
      calls.some((c) => c.status === 403 && c.call === 's3 PUT terraform.tfstate.tflock'),
      'the lock was refused',
    );
    assert.deepEqual(
      sandbox.ecrProxy.requests().filter((r) => r.write),
      [],
      'no ECR Public write was even tried',
    );
    await sandbox.enforceIam(false);
    const ecr = new ECRPUBLICClient(sandbox.clientOptions(sandbox.ecrProxy.url));
    assert.deepEqual((await ecr.send(new DescribeRepositoriesCommand({}))).repositories ?? [], []);
    ecr.destroy();
    const client = iam();
    await assert.rejects(client.send(new GetRoleCommand({ RoleName: 'github-actions-ecr-push' })), { name: 'NoSuchEntityException' });
    client.destroy();
  });

  test('the apply role applies the changes the plan role reviewed; its ECR Public calls, which moto does not judge, the evaluator allows', async (t) => {
    await sandbox.enforceIam(true);
    sandbox.awsProxy.resetRequestLog();
    sandbox.ecrProxy.resetRequestLog();
    // As apply.yml: the plan job's review records (plan --no-lock), planned again under the lock, applied only if the same.
    const apply = await cli(['apply', '--all', '--yes', '--saved-plans-only'], applyRole);
    assert.equal(apply.code, 0, apply.stderr);
    assert.match(apply.stderr, /us-east-1\/ecr-public-repository\s+applied\s+\+1 ~0 -0/);
    assert.match(apply.stderr, /us-east-1\/github-actions-ecr-push\s+applied\s+\+2 ~0 -0/);
    const calls = enforced(t, 'apply as the apply role');
    assert.deepEqual(
      calls.filter((c) => c.status === 403),
      [],
    );
    const ecrCalls = [...new Set(sandbox.ecrProxy.requests().map((r) => r.action ?? '?'))].sort();
    const output = await cli(['output', '--all', '--format', 'json'], applyRole);
    assert.equal(output.code, 0, output.stderr);
    sandbox.awsProxy.resetRequestLog();
    const drift = await cli(['drift', '--json'], planRole);
    assert.equal(drift.code, 0, drift.stderr);
    const refresh = enforced(t, 'drift as the plan role, every unit applied');
    assert.ok(refresh.some((c) => c.call === 'iam GetRole' && c.status === 200) && !refresh.some((c) => c.status === 403));

    await sandbox.enforceIam(false);
    const client = iam();
    const policy = JSON.parse(
      decodeURIComponent(
        (await client.send(new GetRolePolicyCommand({ RoleName: 'github-actions-ci-apply', PolicyName: 'ci-apply' }))).PolicyDocument ?? '',
      ),
    ) as PolicyDocument;
    const push = (await client.send(new GetRoleCommand({ RoleName: 'github-actions-ecr-push' }))).Role;
    client.destroy();
    assert.equal(
      push?.PermissionsBoundary?.PermissionsBoundaryArn,
      `arn:aws:iam::${sandbox.accountId}:policy/github-actions-ecr-push-boundary`,
    );
    const account = sandbox.accountId;
    const caller = { arn: `arn:aws:sts::${account}:assumed-role/github-actions-ci-apply/ci`, policies: [policy] };
    t.diagnostic(`ECR Public calls of the apply (judged by the evaluator only): ${ecrCalls.join(', ')}`);
    assert.ok(ecrCalls.includes('CreateRepository'), ecrCalls.join(' '));
    for (const action of ecrCalls) {
      const resource =
        action === 'DescribeRegistries'
          ? `arn:aws:ecr-public::${account}:registry/${account}`
          : `arn:aws:ecr-public::${account}:repository/caylent-solutions/devcontainer-base`;
      assert.equal(await decide(caller, { action: `ecr-public:${action}`, resource }, account), 'Allowed', action);
    }
  });
});
