// The CI roles' policies as the units render them, judged by a real IAM policy evaluator
// (@cloud-copilot/iam-simulate) call by call: what a plan and an apply need is allowed to the
// role that runs it, every write is denied to the plan role, and every way the apply role could
// widen its own or another role's rights is denied, or capped by the push role's boundary.
// The documents come from `terraform show -json` of plans of the github-actions-ci-roles and
// github-actions-ecr-push modules made by the pinned terraform and AWS provider.
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Sandbox } from '../../sandbox/harness.js';
import {
  account,
  arn,
  bucket,
  cappedByTheBoundary,
  escalations,
  github,
  kmsKey,
  reads,
  repositoryName,
  resourceOf,
  sdkCalls,
  takeoverPolicy,
  units,
  writes,
  type Row,
  type Who,
} from '../support/ci-calls.js';
import { decide, trustDecision, type Call, type Caller, type Decision, type PolicyDocument } from '../support/iam-evaluator.js';
import { documentOf, renderPlan, type PlannedResource } from '../support/render-module.js';
import { sandboxForTests } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

const tools = await suiteTools(['terraform', 'aws-provider', 'moto']);

let sandbox: Sandbox;
let ciRoles: PlannedResource[];
let pushRole: PlannedResource[];

before(async () => {
  sandbox = await sandboxForTests();
  assert.equal(sandbox.accountId, account);
  ciRoles = await renderPlan(sandbox, tools, 'github-actions-ci-roles', {
    github_repository: github,
    existing_oidc_provider_arn: arn.provider,
    state_bucket: bucket,
    ci_units: units,
    state_kms_key_arn: kmsKey,
    repository_name: repositoryName,
    push_role_name: 'github-actions-ecr-push',
    push_role_boundary_name: 'github-actions-ecr-push-boundary',
  });
  pushRole = await renderPlan(sandbox, tools, 'github-actions-ecr-push', {
    github_repository: github,
    repository_arn: arn.repository,
    existing_oidc_provider_arn: arn.provider,
    permissions_boundary_name: 'github-actions-ecr-push-boundary',
  });
});
after(() => sandbox.stop());

function callers(): Record<Who, Caller> {
  const boundary = documentOf<PolicyDocument>(ciRoles, 'aws_iam_policy.push_boundary', 'policy');
  return {
    plan: {
      arn: `arn:aws:sts::${account}:assumed-role/github-actions-ci-plan/ci`,
      policies: [documentOf(ciRoles, 'aws_iam_role_policy.plan', 'policy')],
    },
    apply: {
      arn: `arn:aws:sts::${account}:assumed-role/github-actions-ci-apply/ci`,
      policies: [documentOf(ciRoles, 'aws_iam_role_policy.apply', 'policy')],
    },
    push: { arn: `arn:aws:sts::${account}:assumed-role/github-actions-ecr-push/ci`, policies: [takeoverPolicy], boundary },
  };
}

/** Judges each row; prints the table and its counts; returns the rows whose decision differs. */
async function judge(t: TestContext, rows: readonly Row[]): Promise<string[]> {
  const who = callers();
  const wrong: string[] = [];
  const counts = new Map<string, number>();
  for (const r of rows) {
    const got = await decide(who[r.who], r, account);
    counts.set(got, (counts.get(got) ?? 0) + 1);
    t.diagnostic(`${got === r.expect ? 'ok  ' : 'FAIL'} ${r.who.padEnd(5)} ${got.padEnd(16)} ${r.action} ${r.resource}  (${r.why})`);
    if (got !== r.expect) wrong.push(`${r.who} ${r.action} ${r.resource}: ${got}, expected ${r.expect} (${r.why})`);
  }
  t.diagnostic(`${rows.length} calls: ${[...counts].map(([d, n]) => `${n} ${d}`).join(', ')}`);
  return wrong;
}

/** The Allow statements' actions of a rendered policy. */
function allowed(policy: PolicyDocument): string[] {
  return policy.Statement.filter((s) => s.Effect === 'Allow').flatMap((s) => [s.Action as string | string[]].flat());
}

describe('the CI roles, judged by an IAM policy evaluator', () => {
  test('the plan role: every read of a plan, drift, doctor and output allowed; every write of an apply denied, the lock included', async (t) => {
    assert.deepEqual(await judge(t, [...reads('plan'), ...writes('plan', 'ExplicitlyDenied')]), []);
  });

  test('the apply role: every call an apply needs allowed', async (t) => {
    assert.deepEqual(await judge(t, [...reads('apply'), ...writes('apply', 'Allowed')]), []);
  });

  test('the apply role: each escalation path denied', async (t) => {
    assert.deepEqual(await judge(t, escalations), []);
  });

  test('the push role with Action:* written into its inline policy can still do nothing but push', async (t) => {
    assert.deepEqual(await judge(t, cappedByTheBoundary), []);
  });

  test('the push policy fits inside the boundary: every call it allows stays allowed once bounded', async (t) => {
    const push = documentOf<PolicyDocument>(pushRole, 'aws_iam_role_policy.push', 'policy');
    const boundary = documentOf<PolicyDocument>(ciRoles, 'aws_iam_policy.push_boundary', 'policy');
    const role = pushRole.find((r) => r.address === 'aws_iam_role.this');
    assert.equal(role?.values.permissions_boundary, arn.boundary, 'the push role carries the boundary the CI roles unit creates');
    const caller: Caller = { arn: `arn:aws:sts::${account}:assumed-role/github-actions-ecr-push/push`, policies: [push], boundary };
    const region = { 'aws:RequestedRegion': 'us-east-1' };
    const calls: Call[] = allowed(push).map((action) =>
      action.startsWith('ecr-public:') && action !== 'ecr-public:GetAuthorizationToken'
        ? { action, resource: arn.repository }
        : { action, resource: '*', context: region },
    );
    assert.equal(calls.length, 7, JSON.stringify(push));
    for (const call of calls) assert.equal(await decide(caller, call, account), 'Allowed', call.action);
    t.diagnostic(`${calls.length} push calls allowed inside the boundary: ${calls.map((c) => c.action).join(', ')}`);
  });

  test("every AWS call the tasks make (lib/): reads allowed to both roles; init's bucket writes to neither; the lock release to apply only", async (t) => {
    const who = callers();
    const calls = sdkCalls();
    assert.ok(calls.includes('s3:PutBucketVersioning') && calls.includes('iam:ListOpenIDConnectProviders'), calls.join(' '));
    const wrong: string[] = [];
    // iam:GetPolicy reads the push boundary back after apply or output of the CI-roles unit alone
    // (lib/aws/roles.ts): an administrator's step, as that unit is left out of --all and no CI role runs it.
    const administratorOnly = ['iam:GetPolicy'];
    for (const action of calls.filter((a) => a !== 'sts:GetCallerIdentity' && !administratorOnly.includes(a))) {
      // init converges the bucket (an operator step); unlock and a killed run release the lock.
      const expected: Record<'plan' | 'apply', Decision> = /^s3:(CreateBucket|Put)/.test(action)
        ? { plan: 'ExplicitlyDenied', apply: 'ExplicitlyDenied' }
        : action === 's3:DeleteObject'
          ? { plan: 'ExplicitlyDenied', apply: 'Allowed' }
          : { plan: 'Allowed', apply: 'Allowed' };
      for (const role of ['plan', 'apply'] as const) {
        const got = await decide(who[role], { action, resource: resourceOf(action) }, account);
        if (got !== expected[role]) wrong.push(`${role} ${action}: ${got}, expected ${expected[role]}`);
      }
    }
    t.diagnostic(`${calls.length} SDK calls of the tasks judged for both roles (sts:GetCallerIdentity needs no permission)`);
    assert.deepEqual(wrong, []);
  });

  test('the table covers every permission the roles hold: none is granted that no call needs', () => {
    const who = callers();
    const needed = (rows: Row[]): string[] => [...new Set(rows.filter((r) => r.expect === 'Allowed').map((r) => r.action))].sort();
    assert.deepEqual([...new Set(allowed(who.plan.policies[0] as PolicyDocument))].sort(), needed(reads('plan')));
    assert.deepEqual(
      [...new Set(allowed(who.apply.policies[0] as PolicyDocument))].sort(),
      needed([...reads('apply'), ...writes('apply', 'Allowed')]),
    );
  });

  test('trust: the plan role takes pull requests and the default branch; the apply role only apply.yml of the default branch in production', (t) => {
    const planTrust = documentOf<PolicyDocument>(ciRoles, 'aws_iam_role.plan', 'assume_role_policy');
    const applyTrust = documentOf<PolicyDocument>(ciRoles, 'aws_iam_role.apply', 'assume_role_policy');
    const token = (sub: string, workflow = 'plan.yml', ref = 'refs/heads/main'): Record<string, string> => ({
      aud: 'sts.amazonaws.com',
      sub: `repo:${sub}`,
      job_workflow_ref: `${github}/.github/workflows/${workflow}@${ref}`,
    });
    const cases: Array<[string, PolicyDocument, string, Record<string, string>, Decision]> = [
      ['plan: a pull request', planTrust, arn.planRole, token(`${github}:pull_request`), 'Allowed'],
      [
        'plan: the default branch (drift, apply.yml plan job)',
        planTrust,
        arn.planRole,
        token(`${github}:ref:refs/heads/main`, 'drift.yml'),
        'Allowed',
      ],
      ['plan: another branch', planTrust, arn.planRole, token(`${github}:ref:refs/heads/feature`), 'ImplicitlyDenied'],
      ['plan: a tag', planTrust, arn.planRole, token(`${github}:ref:refs/tags/v1`), 'ImplicitlyDenied'],
      ['plan: another repository', planTrust, arn.planRole, token('someone/else:pull_request'), 'ImplicitlyDenied'],
      [
        'plan: another audience',
        planTrust,
        arn.planRole,
        { ...token(`${github}:pull_request`), aud: 'https://github.com/someone' },
        'ImplicitlyDenied',
      ],
      [
        'apply: production, apply.yml on main',
        applyTrust,
        arn.applyRole,
        token(`${github}:environment:production`, 'apply.yml'),
        'Allowed',
      ],
      [
        'apply: production, apply.yml from a branch',
        applyTrust,
        arn.applyRole,
        token(`${github}:environment:production`, 'apply.yml', 'refs/heads/feature'),
        'ImplicitlyDenied',
      ],
      [
        "apply: production, a pull request's apply.yml",
        applyTrust,
        arn.applyRole,
        token(`${github}:environment:production`, 'apply.yml', 'refs/pull/7/merge'),
        'ImplicitlyDenied',
      ],
      [
        'apply: production, another workflow on main',
        applyTrust,
        arn.applyRole,
        token(`${github}:environment:production`, 'plan.yml'),
        'ImplicitlyDenied',
      ],
      ['apply: a pull request', applyTrust, arn.applyRole, token(`${github}:pull_request`, 'apply.yml'), 'ImplicitlyDenied'],
      [
        'apply: the default branch without the environment',
        applyTrust,
        arn.applyRole,
        token(`${github}:ref:refs/heads/main`, 'apply.yml'),
        'ImplicitlyDenied',
      ],
      ['apply: another environment', applyTrust, arn.applyRole, token(`${github}:environment:staging`, 'apply.yml'), 'ImplicitlyDenied'],
    ];
    const wrong = cases.flatMap(([name, trust, role, claims, expected]) => {
      const got = trustDecision(trust, role, arn.provider, claims);
      t.diagnostic(`${got === expected ? 'ok  ' : 'FAIL'} ${got.padEnd(16)} ${name}`);
      return got === expected ? [] : [`${name}: ${got}`];
    });
    // And only through this account's provider.
    assert.equal(
      trustDecision(
        applyTrust,
        arn.applyRole,
        'arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com',
        token(`${github}:environment:production`, 'apply.yml'),
      ),
      'ImplicitlyDenied',
    );
    t.diagnostic(`${cases.length + 1} tokens judged`);
    assert.deepEqual(wrong, []);
  });
});
