// The CI roles' policies as the units render them, judged by a real IAM policy evaluator
// (@cloud-copilot/iam-simulate) call by call: what a plan and an apply need is allowed to the
// role that runs it, every write is denied to the plan role, and every way the apply role could
// widen its own or another role's rights is denied, or capped by the push role's boundary.
// The documents come from `terraform show -json` of plans of the github-actions-ci-roles and
// github-actions-ecr-push modules made by the pinned terraform and AWS provider.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Sandbox } from '../../sandbox/harness.js';
import { decide, trustDecision, type Call, type Caller, type Decision, type PolicyDocument } from '../support/iam-evaluator.js';
import { documentOf, renderPlan, type PlannedResource } from '../support/render-module.js';
import { sandboxForTests } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

const tools = await suiteTools(['terraform', 'aws-provider', 'moto']);

const account = '123456789012';
const bucket = 'caylent-solutions-devcontainer-terraform-state';
const units = ['us-east-1/ecr-public-repository', 'us-east-1/github-actions-ecr-push'];
const ciRolesUnit = 'us-east-1/github-actions-ci-roles';
const github = 'caylent-solutions/devcontainer-base';
const repositoryName = 'caylent-solutions/devcontainer-base';
const kmsKey = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

const arn = {
  bucket: `arn:aws:s3:::${bucket}`,
  state: (unit: string) => `arn:aws:s3:::${bucket}/${unit}/terraform.tfstate`,
  lock: (unit: string) => `arn:aws:s3:::${bucket}/${unit}/terraform.tfstate.tflock`,
  repository: `arn:aws:ecr-public::${account}:repository/${repositoryName}`,
  otherRepository: `arn:aws:ecr-public::${account}:repository/someone-else/image`,
  registry: `arn:aws:ecr-public::${account}:registry/${account}`,
  pushRole: `arn:aws:iam::${account}:role/github-actions-ecr-push`,
  planRole: `arn:aws:iam::${account}:role/github-actions-ci-plan`,
  applyRole: `arn:aws:iam::${account}:role/github-actions-ci-apply`,
  adminRole: `arn:aws:iam::${account}:role/OrganizationAccountAccessRole`,
  newRole: `arn:aws:iam::${account}:role/attacker-made`,
  boundary: `arn:aws:iam::${account}:policy/github-actions-ecr-push-boundary`,
  admin: 'arn:aws:iam::aws:policy/AdministratorAccess',
  provider: `arn:aws:iam::${account}:oidc-provider/token.actions.githubusercontent.com`,
  user: `arn:aws:iam::${account}:user/attacker`,
};
/**
 * KMS reads a key's own policy on every call: the default key policy, which lets IAM policies of
 * the account grant the key (the roles' KMS permission needs it, as any IAM grant of a key does).
 */
const defaultKeyPolicy: PolicyDocument = {
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Enable IAM User Permissions',
      Effect: 'Allow',
      Principal: { AWS: `arn:aws:iam::${account}:root` },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
};
/** What IAM puts in the request context of a write to the push role while it carries its boundary. */
const bounded = { 'iam:PermissionsBoundary': arn.boundary };

type Who = 'plan' | 'apply' | 'push';
interface Row extends Call {
  who: Who;
  expect: Decision;
  why: string;
}

const row = (who: Who, expect: Decision, why: string, action: string, resource: string, context?: Call['context']): Row => ({
  who,
  expect,
  why,
  action,
  resource,
  ...(context ? { context } : {}),
  ...(resource === kmsKey ? { resourcePolicy: defaultKeyPolicy } : {}),
});

/** Every read a plan, drift, doctor and output make: allowed to both roles. */
function reads(who: 'plan' | 'apply'): Row[] {
  const bucketReads = [
    's3:ListBucket',
    's3:GetBucketLocation',
    's3:GetBucketOwnershipControls',
    's3:GetBucketPublicAccessBlock',
    's3:GetEncryptionConfiguration',
    's3:GetBucketVersioning',
    's3:GetBucketPolicy',
    's3:GetBucketTagging',
    's3:GetLifecycleConfiguration',
  ];
  return [
    ...bucketReads.map((a) => row(who, 'Allowed', 'the state bucket: presence, region, doctor', a, arn.bucket)),
    ...units.flatMap((u) => [
      row(who, 'Allowed', 'state read', 's3:GetObject', arn.state(u)),
      row(who, 'Allowed', 'lock read (doctor)', 's3:GetObject', arn.lock(u)),
    ]),
    row(who, 'Allowed', 'SSE-KMS state', 'kms:Decrypt', kmsKey),
    row(who, 'Allowed', 'registry alias', 'ecr-public:DescribeRegistries', arn.registry),
    ...['DescribeRepositories', 'GetRepositoryCatalogData', 'ListTagsForResource', 'GetRepositoryPolicy'].map((a) =>
      row(who, 'Allowed', 'repository refresh', `ecr-public:${a}`, arn.repository),
    ),
    ...['GetRole', 'ListRolePolicies', 'GetRolePolicy', 'ListAttachedRolePolicies'].map((a) =>
      row(who, 'Allowed', 'push role refresh, doctor --all', `iam:${a}`, arn.pushRole),
    ),
    row(who, 'Allowed', 'doctor --all', 'iam:ListOpenIDConnectProviders', '*'),
    row(who, 'Allowed', 'doctor --all', 'iam:GetOpenIDConnectProvider', arn.provider),
  ];
}

/** Every write an apply makes: the state and its lock, the repository, the push role. */
function writes(who: 'plan' | 'apply', expect: Decision): Row[] {
  return [
    ...units.flatMap((u) => [
      row(who, expect, 'take the state lock', 's3:PutObject', arn.lock(u)),
      row(who, expect, 'write the state', 's3:PutObject', arn.state(u)),
      row(who, expect, 'release the state lock', 's3:DeleteObject', arn.lock(u)),
    ]),
    row(who, expect, 'SSE-KMS state', 'kms:GenerateDataKey', kmsKey),
    row(who, expect, 'SSE-KMS state', 'kms:Encrypt', kmsKey),
    ...['CreateRepository', 'PutRepositoryCatalogData', 'TagResource', 'UntagResource'].map((a) =>
      row(who, expect, 'aws_ecrpublic_repository', `ecr-public:${a}`, arn.repository),
    ),
    ...['CreateRole', 'UpdateRole', 'UpdateRoleDescription', 'UpdateAssumeRolePolicy', 'PutRolePermissionsBoundary', 'PutRolePolicy'].map(
      (a) => row(who, expect, 'the push role, with its boundary', `iam:${a}`, arn.pushRole, bounded),
    ),
    row(who, expect, 'the push role, tags', 'iam:TagRole', arn.pushRole),
    row(who, expect, 'the push role, tags', 'iam:UntagRole', arn.pushRole),
  ];
}

/** Each way the apply role could widen its own or another role's rights, or touch what CI must not. */
const escalations: Row[] = [
  row('apply', 'ExplicitlyDenied', 'write Action:* into the push role while it has no boundary', 'iam:PutRolePolicy', arn.pushRole),
  row('apply', 'ExplicitlyDenied', 'create the push role without a boundary', 'iam:CreateRole', arn.pushRole),
  row('apply', 'ExplicitlyDenied', 'create the push role with AdministratorAccess as its boundary', 'iam:CreateRole', arn.pushRole, {
    'iam:PermissionsBoundary': arn.admin,
  }),
  row(
    'apply',
    'ExplicitlyDenied',
    "swap the push role's boundary for AdministratorAccess",
    'iam:PutRolePermissionsBoundary',
    arn.pushRole,
    {
      'iam:PermissionsBoundary': arn.admin,
    },
  ),
  row('apply', 'ExplicitlyDenied', "remove the push role's boundary", 'iam:DeleteRolePermissionsBoundary', arn.pushRole, bounded),
  row('apply', 'ExplicitlyDenied', 'attach AdministratorAccess to the push role', 'iam:AttachRolePolicy', arn.pushRole, {
    ...bounded,
    'iam:PolicyARN': arn.admin,
  }),
  row('apply', 'ImplicitlyDenied', 'create a new role, even with the boundary', 'iam:CreateRole', arn.newRole, bounded),
  row('apply', 'ExplicitlyDenied', "change another role's trust", 'iam:UpdateAssumeRolePolicy', arn.adminRole),
  row('apply', 'ExplicitlyDenied', 'pass another role to a service', 'iam:PassRole', arn.adminRole),
  row('apply', 'ExplicitlyDenied', 'create a user', 'iam:CreateUser', arn.user),
  row('apply', 'ExplicitlyDenied', 'assume the push role itself', 'sts:AssumeRole', arn.pushRole),
  ...[arn.applyRole, arn.planRole].flatMap((role) => [
    row('apply', 'ExplicitlyDenied', 'rewrite a CI role', 'iam:PutRolePolicy', role, bounded),
    row('apply', 'ExplicitlyDenied', "change a CI role's trust", 'iam:UpdateAssumeRolePolicy', role),
    row('apply', 'ExplicitlyDenied', 'attach AdministratorAccess to a CI role', 'iam:AttachRolePolicy', role, {
      'iam:PolicyARN': arn.admin,
    }),
    row('apply', 'ExplicitlyDenied', "drop a CI role's policy", 'iam:DeleteRolePolicy', role),
  ]),
  row('apply', 'ExplicitlyDenied', 'widen the boundary with a new version', 'iam:CreatePolicyVersion', arn.boundary),
  row('apply', 'ExplicitlyDenied', 'make another boundary version the default', 'iam:SetDefaultPolicyVersion', arn.boundary),
  row('apply', 'ExplicitlyDenied', 'delete the boundary', 'iam:DeletePolicy', arn.boundary),
  row('apply', 'ExplicitlyDenied', 'create the OIDC provider', 'iam:CreateOpenIDConnectProvider', arn.provider),
  row('apply', 'ExplicitlyDenied', 'delete the OIDC provider', 'iam:DeleteOpenIDConnectProvider', arn.provider),
  row('apply', 'ExplicitlyDenied', 'add an audience to the OIDC provider', 'iam:AddClientIDToOpenIDConnectProvider', arn.provider),
  row('apply', 'ExplicitlyDenied', "change the OIDC provider's thumbprints", 'iam:UpdateOpenIDConnectProviderThumbprint', arn.provider),
  row('apply', 'ExplicitlyDenied', 'replace the bucket policy', 's3:PutBucketPolicy', arn.bucket),
  row('apply', 'ExplicitlyDenied', 'delete the bucket policy', 's3:DeleteBucketPolicy', arn.bucket),
  row('apply', 'ExplicitlyDenied', 'turn off the public access block', 's3:PutBucketPublicAccessBlock', arn.bucket),
  row('apply', 'ExplicitlyDenied', 'suspend versioning', 's3:PutBucketVersioning', arn.bucket),
  row('apply', 'ExplicitlyDenied', 'change the default encryption', 's3:PutEncryptionConfiguration', arn.bucket),
  row('apply', 'ExplicitlyDenied', 'expire the state history', 's3:PutLifecycleConfiguration', arn.bucket),
  row('apply', 'ExplicitlyDenied', 'delete the bucket', 's3:DeleteBucket', arn.bucket),
  row('apply', 'ExplicitlyDenied', 'create the bucket (init is an operator step)', 's3:CreateBucket', arn.bucket),
  row('apply', 'ImplicitlyDenied', "delete a unit's state", 's3:DeleteObject', arn.state(units[0] ?? '')),
  row('apply', 'ImplicitlyDenied', "rewrite the CI roles unit's state", 's3:PutObject', arn.state(ciRolesUnit)),
  row('apply', 'ImplicitlyDenied', "read the CI roles unit's state", 's3:GetObject', arn.state(ciRolesUnit)),
  row('apply', 'ImplicitlyDenied', 'write any other object of the bucket', 's3:PutObject', `${arn.bucket}/anything`),
  row('apply', 'ExplicitlyDenied', 'delete the repository (CI never destroys)', 'ecr-public:DeleteRepository', arn.repository),
  row('apply', 'ExplicitlyDenied', 'set a repository policy', 'ecr-public:SetRepositoryPolicy', arn.repository),
  row('apply', 'ImplicitlyDenied', 'create another repository', 'ecr-public:CreateRepository', arn.otherRepository),
  row('apply', 'ExplicitlyDenied', 'push images itself', 'ecr-public:PutImage', arn.repository),
];

/** The push role whose inline policy an attacker replaced with Action:*: the boundary still caps it. */
const takeoverPolicy: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
const cappedByTheBoundary: Row[] = [
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: create a user', 'iam:CreateUser', arn.user),
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: rewrite the apply role', 'iam:PutRolePolicy', arn.applyRole),
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: read the state', 's3:GetObject', arn.state(units[0] ?? '')),
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: delete the repository', 'ecr-public:DeleteRepository', arn.repository),
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: push elsewhere', 'ecr-public:PutImage', arn.otherRepository),
];

/** Each `XCommand` the tasks import from an AWS SDK client, as the IAM action that authorizes it. */
function sdkCalls(): string[] {
  const services: Record<string, string> = { s3: 's3', sts: 'sts', 'ecr-public': 'ecr-public', iam: 'iam' };
  // S3 names some permissions apart from their calls; the others are `<service>:<call>`.
  const permissionOf: Record<string, string> = {
    's3:HeadBucket': 's3:ListBucket',
    's3:HeadObject': 's3:GetObject',
    's3:GetBucketEncryption': 's3:GetEncryptionConfiguration',
    's3:PutBucketEncryption': 's3:PutEncryptionConfiguration',
    's3:GetPublicAccessBlock': 's3:GetBucketPublicAccessBlock',
    's3:PutPublicAccessBlock': 's3:PutBucketPublicAccessBlock',
    's3:GetBucketLifecycleConfiguration': 's3:GetLifecycleConfiguration',
    's3:PutBucketLifecycleConfiguration': 's3:PutLifecycleConfiguration',
    's3:DeleteBucketLifecycle': 's3:PutLifecycleConfiguration',
  };
  const files = readdirSync('lib', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  const calls = files.flatMap((file) =>
    [...readFileSync(join('lib', file), 'utf8').matchAll(/import \{([^}]*)\} from '@aws-sdk\/client-([a-z0-9-]+)'/g)].flatMap((m) => {
      const service = services[m[2] ?? ''];
      assert.ok(service, `lib/${file} uses @aws-sdk/client-${m[2] ?? ''}: add its calls to the CI roles and here`);
      return [...(m[1] ?? '').matchAll(/\b(\w+)Command\b/g)].map(
        (c) => permissionOf[`${service}:${c[1] ?? ''}`] ?? `${service}:${c[1] ?? ''}`,
      );
    }),
  );
  return [...new Set(calls)].sort();
}

/** What the tasks call each action on. */
function resourceOf(action: string): string {
  if (action === 's3:GetObject' || action === 's3:DeleteObject') return arn.lock(units[0] ?? '');
  if (action.startsWith('s3:')) return arn.bucket;
  if (action === 'ecr-public:DescribeRegistries') return arn.registry;
  if (action.startsWith('ecr-public:')) return arn.repository;
  if (action === 'iam:ListOpenIDConnectProviders') return '*';
  if (action.includes('OpenIDConnectProvider')) return arn.provider;
  return arn.pushRole;
}

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
    for (const action of calls.filter((a) => a !== 'sts:GetCallerIdentity')) {
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
