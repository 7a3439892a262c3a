import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { PutBucketVersioningCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateRepositoryCommand, ECRPUBLICClient } from '@aws-sdk/client-ecr-public';
import { CreateOpenIDConnectProviderCommand, IAMClient, TagOpenIDConnectProviderCommand } from '@aws-sdk/client-iam';
import { clientSettings } from '../../lib/aws/clients.js';
import type { CheckResult } from '../../tasks/doctor/check.js';
import { runDoctor } from '../../tasks/doctor/run.js';
import { createMemoryLogger, testContext } from '../support/context.js';
import { convergeStateBucket } from '../../lib/state-bucket/converge.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { sandboxConfig } from '../support/config.js';
import { sandboxForTests } from '../support/sandbox.js';
import { suiteToolsEnv } from '../support/tools.js';
import { silentServer } from '../support/servers.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await sandboxForTests();
});
after(async () => {
  await sandbox.stop();
});

async function doctor(env: Record<string, string> = {}, all = false): Promise<Map<string, CheckResult>> {
  const ctx = testContext({ projectDir: process.cwd(), env: { ...suiteToolsEnv(), ...sandbox.env, ...env } });
  const results = await runDoctor(ctx, { overrides: {}, all });
  const text = JSON.stringify(results);
  assert.ok(
    !text.includes(sandbox.credentials.secretAccessKey) && !text.includes(sandbox.credentials.sessionToken),
    'a secret reached the report',
  );
  return new Map(results.map((r) => [r.id, r]));
}

function status(results: Map<string, CheckResult>, id: string): string {
  const r = results.get(id);
  assert.ok(r, `no check ${id}`);
  return `${r.status}: ${r.message}${r.hint ? ` | fix: ${r.hint}` : ''}`;
}

describe('doctor against the sandbox', () => {
  test('a fresh account, before the first init: everything passes or notes what apply will create; no failure', async () => {
    const r = await doctor({ DEPLOY_STATE_BUCKET: 'doctor-fresh' });
    assert.match(status(r, 'config'), /^pass/);
    assert.match(status(r, 'credentials'), new RegExp(`^pass: .*account ${sandbox.accountId}`));
    assert.match(status(r, 'state-bucket'), /^pass: doctor-fresh does not exist yet: npm run init will create it$/);
    assert.match(status(r, 'state-lock'), /^pass: no lock held/);
    assert.match(status(r, 'registry-alias'), /^pass: public.ecr.aws\/sandbox-alias/);
    assert.match(status(r, 'repository'), /^warn: .* not created yet/);
    assert.match(status(r, 'public-pull'), /^warn: anonymous pull token refused/);
    assert.match(status(r, 'node'), /^pass/);
    assert.match(status(r, 'unit'), /^pass/);
    assert.deepEqual(
      [...r.values()].filter((c) => c.status === 'fail' && !['terraform', 'terragrunt'].includes(c.id)).map((c) => c.id),
      [],
    );
  });

  test('a hardened bucket passes; one setting turned off is named', async () => {
    const config = sandboxConfig(sandbox, { stateBucket: 'doctor-hardened' });
    await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    assert.match(status(await doctor({ DEPLOY_STATE_BUCKET: 'doctor-hardened' }), 'state-bucket'), /^pass/);
    const s3 = new S3Client(clientSettings('s3', config, sandbox.credentials));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'doctor-hardened', VersioningConfiguration: { Status: 'Suspended' } }));
    await s3.send(
      new PutObjectCommand({
        Bucket: 'doctor-hardened',
        Key: 'us-east-1/ecr-public-repository/terraform.tfstate.tflock',
        Body: JSON.stringify({
          ID: 'lock-1234',
          Who: 'ops@laptop',
          Operation: 'OperationTypeApply',
          Created: new Date(Date.now() - 5 * 60000).toISOString(),
        }),
      }),
    );
    s3.destroy();
    const r = await doctor({ DEPLOY_STATE_BUCKET: 'doctor-hardened' });
    assert.match(status(r, 'state-bucket'), /^fail: versioning is not enabled/);
    assert.match(
      status(r, 'state-lock'),
      /^warn: lock lock-1234 held by ops@laptop for OperationTypeApply, 5 min old \| fix: .*npm run unlock -- --lock-id lock-1234/,
    );
  });

  test('the repository: catalog drift against the applied state fails, a public one can be pulled', async () => {
    const config = sandboxConfig(sandbox, { stateBucket: 'doctor-repo' });
    await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    const ecr = new ECRPUBLICClient(clientSettings('ecrPublic', config, sandbox.credentials));
    await ecr.send(
      new CreateRepositoryCommand({
        repositoryName: config.repositoryName,
        catalogData: { description: 'changed by hand', architectures: ['x86-64'], operatingSystems: ['Linux'] },
      }),
    );
    ecr.destroy();
    const s3 = new S3Client(clientSettings('s3', config, sandbox.credentials));
    const stateFile = {
      outputs: {
        catalog_data: { value: { description: 'as applied', architectures: ['ARM 64', 'x86-64'], operating_systems: ['Linux'] } },
      },
    };
    await s3.send(
      new PutObjectCommand({
        Bucket: 'doctor-repo',
        Key: 'us-east-1/ecr-public-repository/terraform.tfstate',
        Body: JSON.stringify(stateFile),
      }),
    );
    s3.destroy();
    const r = await doctor({ DEPLOY_STATE_BUCKET: 'doctor-repo' });
    assert.match(
      status(r, 'repository'),
      /^fail: catalog data drifted: description: expected "as applied", found "changed by hand"; architectures/,
    );
    assert.match(status(r, 'public-pull'), /^pass: anonymous pull token granted for sandbox-alias\/caylent-solutions\/devcontainer-base/);
  });

  test('the wrong account fails the credentials check with the login command', async () => {
    const r = await doctor({ DEPLOY_EXPECTED_ACCOUNT_ID: '999999999999', AWS_PROFILE: '' });
    assert.match(
      status(r, 'credentials'),
      /^fail: .*DEPLOY_EXPECTED_ACCOUNT_ID is 999999999999.* \| fix: Use a profile for account 999999999999/,
    );
  });

  test('invalid configuration fails its check and every dependent one, while the rest still report', async () => {
    const r = await doctor({ DEPLOY_STATE_BUCKET: 'Not_Valid' });
    assert.match(status(r, 'config'), /^fail: Invalid configuration .*DEPLOY_STATE_BUCKET/s);
    assert.match(status(r, 'state-bucket'), /^fail: needs a valid configuration/);
    assert.match(status(r, 'node'), /^pass/);
    assert.match(status(r, 'dependencies'), /^pass/);
  });

  test('a silent ECR Public endpoint: its checks fail at the bound, naming the endpoint and the setting', async (t) => {
    const silent = await silentServer();
    t.after(() => silent.close());
    // The messages say the 2 s bound fired; the silent server never answers, so without it doctor would hang.
    const r = await doctor({ AWS_ENDPOINT_URL_ECR_PUBLIC: silent.url, DEPLOY_AWS_TIMEOUT_SECONDS: '2' });
    for (const id of ['registry-alias', 'repository'])
      assert.match(
        status(r, id),
        new RegExp(`^fail: No answer from the ECR Public endpoint ${silent.url} \\(AWS_ENDPOINT_URL_ECR_PUBLIC\\) within 2s`),
      );
    assert.match(status(r, 'credentials'), /^pass/);
  });

  test('an unreachable endpoint fails within the bound instead of hanging', async () => {
    const r = await doctor({ AWS_ENDPOINT_URL_ECR_PUBLIC: 'https://127.0.0.1:9', DEPLOY_AWS_TIMEOUT_SECONDS: '3' });
    assert.match(status(r, 'registry-alias'), /^fail: .*(ECONNREFUSED|unreachable|connect)/i);
    assert.match(status(r, 'credentials'), /^pass/);
  });
});

describe("doctor --all and the account's GitHub OIDC provider", () => {
  const iam = (): IAMClient => new IAMClient(sandbox.clientOptions(sandbox.awsProxy.url));
  const providerArn = (): string => `arn:aws:iam::${sandbox.accountId}:oidc-provider/token.actions.githubusercontent.com`;

  test('none yet: the CI roles unit will create it', async () => {
    const r = await doctor({}, true);
    assert.match(
      status(r, 'github-oidc-provider'),
      /^pass: none yet: npm run apply -- --unit us-east-1\/github-actions-ci-roles creates it$/,
    );
    assert.ok(sandbox.awsProxy.requests().some((q) => q.action === 'ListOpenIDConnectProviders'));
  });

  test("one made outside the project's units is named, with the setting, before an apply fails with EntityAlreadyExists", async () => {
    const client = iam();
    await client.send(
      new CreateOpenIDConnectProviderCommand({ Url: 'https://token.actions.githubusercontent.com', ClientIDList: ['sts.amazonaws.com'] }),
    );
    const unset = await doctor({}, true);
    assert.equal(
      status(unset, 'github-oidc-provider'),
      `fail: ${providerArn()} exists already, made outside this project's units: with DEPLOY_GITHUB_OIDC_PROVIDER_ARN unset, npm run apply -- --unit us-east-1/github-actions-ci-roles would fail with EntityAlreadyExists | fix: Set DEPLOY_GITHUB_OIDC_PROVIDER_ARN=${providerArn()} (in .env, and as the workflows' repository variable), then apply`,
    );
    assert.match(status(await doctor({ DEPLOY_GITHUB_OIDC_PROVIDER_ARN: providerArn() }, true), 'github-oidc-provider'), /^pass: arn:/);
    const elsewhere = 'arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com';
    assert.match(
      status(await doctor({ DEPLOY_GITHUB_OIDC_PROVIDER_ARN: elsewhere }, true), 'github-oidc-provider'),
      new RegExp(
        `^fail: DEPLOY_GITHUB_OIDC_PROVIDER_ARN=${elsewhere}, but the account's GitHub provider is ${providerArn()} \\| fix: Set DEPLOY_GITHUB_OIDC_PROVIDER_ARN=${providerArn()}`,
      ),
    );
    // The units tag what they create with the project's name (root.hcl's default tags): then it is ours.
    await client.send(
      new TagOpenIDConnectProviderCommand({
        OpenIDConnectProviderArn: providerArn(),
        Tags: [
          { Key: 'ManagedBy', Value: 'terragrunt' },
          { Key: 'Repository', Value: 'devcontainer-ecr-public' },
          { Key: 'Unit', Value: 'us-east-1/github-actions-ci-roles' },
        ],
      }),
    );
    client.destroy();
    assert.equal(
      status(await doctor({}, true), 'github-oidc-provider'),
      `pass: ${providerArn()}, created by this project's unit us-east-1/github-actions-ci-roles`,
    );
  });
});
