import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  CreateOpenIDConnectProviderCommand,
  CreateRoleCommand,
  GetRoleCommand,
  GetRolePolicyCommand,
  IAMClient,
  ListOpenIDConnectProvidersCommand,
  ListRolesCommand,
  PutRolePolicyCommand,
} from '@aws-sdk/client-iam';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { clientSettings } from '../../lib/aws/clients.js';
import { iamClient } from '../../lib/aws/iam.js';
import { TaskError } from '../../lib/core/errors.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { sandboxConfig } from '../support/config.js';
import { sandboxForTests } from '../support/sandbox.js';
import { silentServer } from '../support/servers.js';
import { sdkOutcome } from '../support/sdk-outcome.js';

// The sandbox serves IAM (moto, behind the same TLS counting proxy as S3 and STS) for the
// GitHub Actions OIDC push role's unit: the lib client, pointed there by the sandbox's env
// (AWS_ENDPOINT_URL_IAM through the iam-endpoint setting), creates and reads it back.
let sandbox: Sandbox;
before(async () => {
  sandbox = await sandboxForTests();
});
after(async () => {
  await sandbox.stop();
});

const issuer = 'token.actions.githubusercontent.com';
const roleName = 'github-actions-ecr-public-push';

function trustPolicy(providerArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      {
        Effect: 'Allow',
        Principal: { Federated: providerArn },
        Action: 'sts:AssumeRoleWithWebIdentity',
        Condition: {
          StringEquals: { [`${issuer}:aud`]: 'sts.amazonaws.com' },
          StringLike: { [`${issuer}:sub`]: 'repo:caylent-solutions/devcontainer-base:ref:refs/heads/main' },
        },
      },
    ],
  });
}

function pushPolicy(repositoryArn: string): string {
  return JSON.stringify({
    Version: '2012-10-17',
    Statement: [
      { Effect: 'Allow', Action: ['ecr-public:GetAuthorizationToken', 'sts:GetServiceBearerToken'], Resource: '*' },
      {
        Effect: 'Allow',
        Action: [
          'ecr-public:BatchCheckLayerAvailability',
          'ecr-public:CompleteLayerUpload',
          'ecr-public:InitiateLayerUpload',
          'ecr-public:PutImage',
          'ecr-public:UploadLayerPart',
        ],
        Resource: repositoryArn,
      },
    ],
  });
}

/** IAM returns policy documents URL-encoded. */
const parsed = (document: string | undefined): unknown => JSON.parse(decodeURIComponent(document ?? ''));

describe('IAM in the sandbox', () => {
  test('the lib client creates the OIDC provider, the role with its trust policy and inline policy, and reads them back; the proxy counts each call', async () => {
    const config = sandboxConfig(sandbox);
    assert.equal(config.iamEndpoint, sandbox.awsProxy.url, 'the sandbox env points the iam-endpoint setting at its proxy');
    const iam = iamClient({ config, signal: new AbortController().signal }, sandbox.credentials);
    const repositoryArn = `arn:aws:ecr-public::${sandbox.accountId}:repository/caylent-solutions/devcontainer-base`;
    sandbox.awsProxy.resetRequestLog();

    const provider = await iam.send(
      new CreateOpenIDConnectProviderCommand({
        Url: `https://${issuer}`,
        ClientIDList: ['sts.amazonaws.com'],
        ThumbprintList: ['6938fd4d98bab03faadb97b34396831e3780aea1'],
      }),
    );
    const providerArn = `arn:aws:iam::${sandbox.accountId}:oidc-provider/${issuer}`;
    assert.equal(provider.OpenIDConnectProviderArn, providerArn);
    await iam.send(new CreateRoleCommand({ RoleName: roleName, AssumeRolePolicyDocument: trustPolicy(providerArn) }));
    await iam.send(
      new PutRolePolicyCommand({ RoleName: roleName, PolicyName: 'ecr-public-push', PolicyDocument: pushPolicy(repositoryArn) }),
    );

    const role = (await iam.send(new GetRoleCommand({ RoleName: roleName }))).Role;
    assert.equal(role?.Arn, `arn:aws:iam::${sandbox.accountId}:role/${roleName}`);
    assert.deepEqual(parsed(role.AssumeRolePolicyDocument), JSON.parse(trustPolicy(providerArn)));
    const inline = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: 'ecr-public-push' }));
    assert.deepEqual(parsed(inline.PolicyDocument), JSON.parse(pushPolicy(repositoryArn)));
    const providers = await iam.send(new ListOpenIDConnectProvidersCommand({}));
    assert.deepEqual(
      providers.OpenIDConnectProviderList?.map((p) => p.Arn),
      [providerArn],
    );
    iam.destroy();

    const counted = sandbox.awsProxy.requests().filter((r) => r.service === 'iam');
    assert.deepEqual(
      counted.map((r) => `${r.action ?? '?'}${r.write ? ' (write)' : ''}`),
      [
        'CreateOpenIDConnectProvider (write)',
        'CreateRole (write)',
        'PutRolePolicy (write)',
        'GetRole',
        'GetRolePolicy',
        'ListOpenIDConnectProviders',
      ],
    );
    assert.equal(counted.length, sandbox.awsProxy.requests().length, 'nothing else went through the proxy');
  });

  test('IAM and STS share the proxy and are told apart: each is counted and faulted as itself', async () => {
    const config = sandboxConfig(sandbox);
    const options = { ...sandbox.clientOptions(sandbox.awsProxy.url), maxAttempts: 1 };
    const iam = new IAMClient(options);
    const sts = new STSClient(options);
    sandbox.awsProxy.resetRequestLog();
    sandbox.faults.set({ throttle: 2 });
    // Every 2nd request per service: one STS call between two IAM calls does not shift IAM's count.
    assert.equal(await sdkOutcome(iam.send(new ListRolesCommand({}))), 'ok');
    assert.equal(await sdkOutcome(sts.send(new GetCallerIdentityCommand({}))), 'ok');
    assert.equal(await sdkOutcome(iam.send(new ListRolesCommand({}))), 'Throttling 400');
    assert.equal(await sdkOutcome(sts.send(new GetCallerIdentityCommand({}))), 'Throttling 400');
    assert.deepEqual(
      sandbox.awsProxy.requests().map((r) => `${r.service ?? '?'} ${r.action ?? '?'} ${r.fault ?? 'forwarded'}`),
      ['iam ListRoles forwarded', 'sts GetCallerIdentity forwarded', 'iam ListRoles Throttling', 'sts GetCallerIdentity Throttling'],
    );
    // The lib client retries (maxAttempts 3), as for every other service: IAM's 4th request is throttled, its retry passes.
    assert.equal(await sdkOutcome(iam.send(new ListRolesCommand({}))), 'ok');
    sandbox.awsProxy.resetRequestLog();
    const bounded = iamClient({ config, signal: new AbortController().signal }, sandbox.credentials);
    assert.equal((await bounded.send(new GetRoleCommand({ RoleName: roleName }))).Role?.RoleName, roleName);
    assert.deepEqual(
      sandbox.awsProxy.requests().map((r) => `${r.action ?? '?'} ${r.fault ?? 'forwarded'}`),
      ['GetRole Throttling', 'GetRole forwarded'],
    );
    sandbox.faults.set({});

    const session = await sandbox.shortLivedSession();
    sandbox.faults.expireSessions();
    const ended = new IAMClient({
      ...options,
      credentials: {
        accessKeyId: session.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: session.AWS_SECRET_ACCESS_KEY ?? '',
        sessionToken: session.AWS_SESSION_TOKEN ?? '',
      },
    });
    assert.equal(await sdkOutcome(ended.send(new GetRoleCommand({ RoleName: roleName }))), 'ExpiredToken 403');
    [iam, sts, bounded, ended].forEach((c) => c.destroy());
  });

  test('a silent IAM endpoint: the lib client gives up within DEPLOY_AWS_TIMEOUT_SECONDS, naming AWS_ENDPOINT_URL_IAM', async (t) => {
    const silent = await silentServer();
    t.after(() => silent.close());
    const config = sandboxConfig(sandbox, { iamEndpoint: silent.url, awsTimeoutSeconds: '1' });
    assert.equal(clientSettings('iam', config, sandbox.credentials).endpoint, silent.url);
    const iam = iamClient({ config, signal: new AbortController().signal }, sandbox.credentials);
    // The message names the 1 s bound: the silent server never answers, so only the bound ends the call.
    await assert.rejects(
      iam.send(new GetRoleCommand({ RoleName: roleName })),
      (error: unknown) =>
        error instanceof TaskError &&
        error.code === 'ENDPOINT_SILENT' &&
        error.message === `No answer from the IAM endpoint ${silent.url} (AWS_ENDPOINT_URL_IAM) within 1s.`,
    );
    iam.destroy();
  });
});
