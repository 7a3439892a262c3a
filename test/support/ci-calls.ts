// The table of calls the CI roles are judged by (test/infra/ci-roles-policies.test.ts): what a
// plan and an apply need, and each way to escalate, as IAM authorizes them (action, resource ARN,
// request context), in the sandbox's account.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Call, Decision, PolicyDocument } from './iam-evaluator.js';

/** The sandbox's account (moto's), where the modules are rendered. */
export const account = '123456789012';
/** The settings the modules are rendered with: the tasks' defaults, and a KMS key to cover SSE-KMS. */
export const bucket = 'caylent-solutions-devcontainer-terraform-state';
export const units = ['us-east-1/ecr-public-repository', 'us-east-1/github-actions-ecr-push'];
const ciRolesUnit = 'us-east-1/github-actions-ci-roles';
export const github = 'caylent-solutions/devcontainer-base';
export const repositoryName = 'caylent-solutions/devcontainer-base';
export const kmsKey = `arn:aws:kms:us-east-1:${account}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;

/** The ARNs the calls are made on: the units' resources, and others a role must not reach. */
export const arn = {
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

/** Who makes the call: CI's plan role, its apply role, or the push role. */
export type Who = 'plan' | 'apply' | 'push';
/** One call of the table and the decision IAM must reach. */
export interface Row extends Call {
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
export function reads(who: 'plan' | 'apply'): Row[] {
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
export function writes(who: 'plan' | 'apply', expect: Decision): Row[] {
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
export const escalations: Row[] = [
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
export const takeoverPolicy: PolicyDocument = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };
export const cappedByTheBoundary: Row[] = [
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: create a user', 'iam:CreateUser', arn.user),
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: rewrite the apply role', 'iam:PutRolePolicy', arn.applyRole),
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: read the state', 's3:GetObject', arn.state(units[0] ?? '')),
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: delete the repository', 'ecr-public:DeleteRepository', arn.repository),
  row('push', 'ImplicitlyDenied', 'Action:* inline, boundary: push elsewhere', 'ecr-public:PutImage', arn.otherRepository),
];

/** Each `XCommand` the tasks import from an AWS SDK client, as the IAM action that authorizes it. */
export function sdkCalls(): string[] {
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
export function resourceOf(action: string): string {
  if (action === 's3:GetObject' || action === 's3:DeleteObject') return arn.lock(units[0] ?? '');
  if (action.startsWith('s3:')) return arn.bucket;
  if (action === 'ecr-public:DescribeRegistries') return arn.registry;
  if (action.startsWith('ecr-public:')) return arn.repository;
  if (action === 'iam:ListOpenIDConnectProviders') return '*';
  if (action.includes('OpenIDConnectProvider')) return arn.provider;
  return arn.pushRole;
}
