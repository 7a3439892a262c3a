import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { GetRoleCommand, GetRolePolicyCommand, ListOpenIDConnectProvidersCommand } from '@aws-sdk/client-iam';
import { childEnvironment } from '../../lib/aws/child-env.js';
import { iamClient } from '../../lib/aws/iam.js';
import { rootHclInputs } from '../../lib/deploy/prepare.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { assertNoSecrets, registerSecret } from '../support/cli.js';
import { sandboxConfig } from '../support/config.js';
import { sandboxForTests } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

// Proof that the real pinned terraform and AWS provider manage IAM in the sandbox, as the
// GitHub Actions OIDC push role's unit will: an OIDC provider, a role trusting it, and an
// inline policy; apply, a second plan with no changes, destroy. The provider is configured
// as root.hcl generates it (region and default tags only); every endpoint reaches it the
// way the tasks hand them over: the iam-endpoint setting, through rootHclInputs, into the
// child environment (AWS_ENDPOINT_URL_IAM), with no AWS_* variable of this process.
const paths = await suiteTools(['terraform', 'aws-provider', 'moto']);
const roleName = 'iam-proof-github-push';
const issuer = 'token.actions.githubusercontent.com';

const config = `provider "aws" {
  region = "us-east-1"

  default_tags {
    tags = { ManagedBy = "terragrunt", Repository = "iam-proof", Unit = "us-east-1/github-oidc-push-role" }
  }
}

resource "aws_iam_openid_connect_provider" "github" {
  url            = "https://${issuer}"
  client_id_list = ["sts.amazonaws.com"]
}

data "aws_iam_policy_document" "trust" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]
    principals {
      type        = "Federated"
      identifiers = [aws_iam_openid_connect_provider.github.arn]
    }
    condition {
      test     = "StringEquals"
      variable = "${issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
    condition {
      test     = "StringLike"
      variable = "${issuer}:sub"
      values   = ["repo:caylent-solutions/devcontainer-base:ref:refs/heads/main"]
    }
  }
}

resource "aws_iam_role" "push" {
  name               = "${roleName}"
  assume_role_policy = data.aws_iam_policy_document.trust.json
}

resource "aws_iam_role_policy" "push" {
  name = "ecr-public-push"
  role = aws_iam_role.push.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = ["ecr-public:GetAuthorizationToken", "sts:GetServiceBearerToken"], Resource = "*" },
      {
        Effect   = "Allow"
        Action   = ["ecr-public:BatchCheckLayerAvailability", "ecr-public:PutImage", "ecr-public:UploadLayerPart"]
        Resource = "arn:aws:ecr-public::\${data.aws_caller_identity.current.account_id}:repository/caylent-solutions/devcontainer-base"
      },
    ]
  })
}

data "aws_caller_identity" "current" {}

output "role_arn" {
  value = aws_iam_role.push.arn
}
`;

function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('AWS_')));
}

describe(`real pinned terraform + AWS provider ${paths.providerVersion}: IAM against the sandbox`, () => {
  let sandbox: Sandbox;
  let dir: string;
  let env: NodeJS.ProcessEnv;
  before(async () => {
    sandbox = await sandboxForTests();
    registerSecret(sandbox.credentials.secretAccessKey);
    registerSecret(sandbox.credentials.sessionToken);
    dir = await mkdtemp(join(tmpdir(), 'iam-stack-'));
    await writeFile(join(dir, 'main.tf'), config);
    const settings = sandboxConfig(sandbox);
    env = childEnvironment(withoutAws(process.env), sandbox.credentials, {
      ...rootHclInputs(settings, 'iam-proof'),
      AWS_CA_BUNDLE: settings.caBundle ?? '',
      TF_CLI_CONFIG_FILE: paths.cliConfigFile,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    });
  });
  after(async () => {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  /** Runs terraform; `expected` is the exit code that counts as success. Reports its duration. */
  async function tf(t: TestContext, args: string[], expected = 0): Promise<string> {
    const started = performance.now();
    const child = spawn(paths.terraform, [...args, '-no-color'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const [code] = (await once(child, 'close')) as [number];
    t.diagnostic(`terraform ${args[0] ?? ''}: ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assertNoSecrets(out, `terraform ${args[0] ?? ''}`);
    assert.equal(code, expected, `terraform ${args.join(' ')} exited ${code}:\n${out}`);
    return out;
  }

  const iamWrites = (): string[] =>
    sandbox.awsProxy
      .requests()
      .filter((r) => r.service === 'iam' && r.write)
      .map((r) => r.action ?? '?');

  test('apply creates the OIDC provider, the role and its inline policy; a second plan has no changes; destroy removes them', async (t) => {
    assert.equal(env.AWS_ENDPOINT_URL_IAM, sandbox.awsProxy.url, 'the IAM endpoint reaches terraform through rootHclInputs');
    await tf(t, ['init', '-input=false']);

    sandbox.awsProxy.resetRequestLog();
    const applied = await tf(t, ['apply', '-input=false', '-auto-approve']);
    assert.match(applied, /Apply complete! Resources: 3 added, 0 changed, 0 destroyed/);
    const created = iamWrites();
    t.diagnostic(`IAM writes of the apply: ${created.join(', ')}`);
    for (const action of ['CreateOpenIDConnectProvider', 'CreateRole', 'PutRolePolicy'])
      assert.ok(created.includes(action), `the provider's ${action} went through the sandbox proxy: ${created.join(' ')}`);

    const iam = iamClient({ config: sandboxConfig(sandbox), signal: new AbortController().signal }, sandbox.credentials);
    const providerArn = `arn:aws:iam::${sandbox.accountId}:oidc-provider/${issuer}`;
    const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    assert.deepEqual(
      providers.OpenIDConnectProviderList?.map((p) => p.Arn),
      [providerArn],
    );
    const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
    assert.match(applied, new RegExp(`role_arn = "arn:aws:iam::${sandbox.accountId}:role/${roleName}"`));
    const trust = JSON.parse(decodeURIComponent(role?.AssumeRolePolicyDocument ?? '')) as {
      Statement: Array<{ Principal: { Federated: string }; Condition: Record<string, Record<string, string>> }>;
    };
    assert.equal(trust.Statement[0]?.Principal.Federated, providerArn);
    assert.equal(
      trust.Statement[0]?.Condition.StringLike?.[`${issuer}:sub`],
      'repo:caylent-solutions/devcontainer-base:ref:refs/heads/main',
    );
    assert.deepEqual(
      Object.fromEntries((role?.Tags ?? []).map((tag) => [tag.Key, tag.Value])),
      { ManagedBy: 'terragrunt', Repository: 'iam-proof', Unit: 'us-east-1/github-oidc-push-role' },
      'default tags reach the role',
    );
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'ecr-public-push' }));
    assert.match(decodeURIComponent(inline.PolicyDocument ?? ''), new RegExp(`arn:aws:ecr-public::${sandbox.accountId}:repository/`));

    sandbox.awsProxy.resetRequestLog();
    const planned = await tf(t, ['plan', '-input=false', '-detailed-exitcode'], 0);
    assert.match(planned, /No changes\. Your infrastructure matches the configuration\./);
    assert.deepEqual(iamWrites(), [], 'a plan wrote to IAM');
    assert.ok(
      sandbox.awsProxy.requests().some((r) => r.service === 'iam' && r.action === 'GetRole'),
      'the plan refreshed the role through the sandbox',
    );

    const destroyed = await tf(t, ['destroy', '-input=false', '-auto-approve']);
    assert.match(destroyed, /Destroy complete! Resources: 3 destroyed/);
    await assert.rejects(iam.send(new GetRoleCommand({ RoleName: roleName })), { name: 'NoSuchEntityException' });
    assert.deepEqual((await iam.send(new ListOpenIDConnectProvidersCommand({}))).OpenIDConnectProviderList ?? [], []);
    iam.destroy();
  });
});
