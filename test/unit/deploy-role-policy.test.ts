import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';

/** The operations guide's deploy-role documents (platform/infra/github-actions.md). */
const guide = readFileSync(join('platform', 'infra', 'github-actions.md'), 'utf8');

function jsonBlock(name: string): unknown {
  const block = new RegExp(`<!-- ${name}:start -->\\n\`\`\`json\\n([\\s\\S]*?)\\n\`\`\`\\n<!-- ${name}:end -->`).exec(guide)?.[1];
  assert.ok(block, `the guide lacks the ${name} block`);
  return JSON.parse(block);
}

interface Statement {
  Sid: string;
  Effect: string;
  Action: string | string[];
  Resource: string;
  Principal?: unknown;
  Condition?: Record<string, Record<string, string | string[]>>;
}
const policy = jsonBlock('deploy-role-policy') as { Version: string; Statement: Statement[] };
const actions = policy.Statement.flatMap((s) => (Array.isArray(s.Action) ? s.Action : [s.Action]));

/** Each `XCommand` the tasks import from an AWS SDK client, as `<service>:X`. */
function sdkCalls(): string[] {
  const services: Record<string, string> = { s3: 's3', sts: 'sts', 'ecr-public': 'ecr-public', iam: 'iam' };
  const files = readdirSync('lib', { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.ts'));
  return files.flatMap((file) =>
    [...readFileSync(join('lib', file), 'utf8').matchAll(/import \{([^}]*)\} from '@aws-sdk\/client-([a-z0-9-]+)'/g)].flatMap((m) => {
      const service = services[m[2] ?? ''];
      assert.ok(service, `lib/${file} uses @aws-sdk/client-${m[2]}: add its actions to the deploy role's policy and here`);
      return [...(m[1] ?? '').matchAll(/\b(\w+)Command\b/g)].map((c) => `${service}:${c[1]}`);
    }),
  );
}

/** S3 calls whose permission has another name (the others are `<service>:<call>`). */
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

describe("the deploy role's policy in the operations guide", () => {
  it('parses, allows only, and names every action without a wildcard, once', () => {
    assert.equal(policy.Version, '2012-10-17');
    for (const s of policy.Statement) {
      assert.equal(s.Effect, 'Allow', s.Sid);
      assert.ok(Array.isArray(s.Action), `${s.Sid}: Action is a list`);
    }
    for (const action of actions) assert.match(action, /^(s3|sts|ecr-public|iam):[A-Za-z]+$/, `${action}: one action, no *`);
    assert.ok(!actions.some((a) => a.endsWith('*')));
    assert.equal(new Set(actions).size, actions.length, 'no action twice');
  });

  it('holds every AWS call the tasks make', () => {
    const calls = sdkCalls();
    assert.ok(calls.includes('s3:PutBucketVersioning') && calls.includes('iam:GetRolePolicy'), calls.join(' '));
    const missing = calls.map((call) => permissionOf[call] ?? call).filter((p) => !actions.includes(p));
    assert.deepEqual([...new Set(missing)], []);
  });

  it("scopes each statement to the project's resources; only calls IAM cannot scope are on *", () => {
    const onEverything = policy.Statement.filter((s) => s.Resource === '*').flatMap((s) => s.Action);
    assert.deepEqual(onEverything, ['sts:GetCallerIdentity', 'ecr-public:DescribeRegistries']);
    const resources = policy.Statement.map((s) => s.Resource).filter((r) => r !== '*');
    for (const r of resources)
      assert.match(r, /<(STATE_BUCKET|REPOSITORY_NAME|PUSH_ROLE_NAME)>|oidc-provider\/token\.actions\.githubusercontent\.com$/);
  });

  it('is trusted by the OIDC subjects of the three workflows, and by nothing else', () => {
    const trust = jsonBlock('deploy-role-trust') as { Statement: Statement[] };
    assert.equal(trust.Statement.length, 1);
    const [statement] = trust.Statement;
    assert.equal(statement?.Action, 'sts:AssumeRoleWithWebIdentity');
    const equals = statement?.Condition?.StringEquals ?? {};
    assert.equal(equals['token.actions.githubusercontent.com:aud'], 'sts.amazonaws.com');
    assert.deepEqual(equals['token.actions.githubusercontent.com:sub'], [
      'repo:<OWNER>/<REPO>:pull_request',
      'repo:<OWNER>/<REPO>:environment:production',
      'repo:<OWNER>/<REPO>:ref:refs/heads/main',
    ]);
    assert.deepEqual(Object.keys(statement?.Condition ?? {}), ['StringEquals'], 'no StringLike: no wildcard subject');
  });

  it('documents every repository variable the workflows read', () => {
    const dir = join('.github', 'workflows');
    const used = readdirSync(dir).flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1] ?? ''),
    );
    assert.ok(used.includes('DEPLOY_ROLE_ARN'));
    for (const name of new Set(used)) assert.ok(guide.includes(`\`${name}\``), `the guide does not name ${name}`);
  });
});
