import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { CreateBucketCommand, GetBucketVersioningCommand, HeadBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import * as ecr from '@aws-sdk/client-ecr-public';
import { resolveCredentials } from '../../lib/aws/credentials.js';
import { TaskError } from '../../lib/core/errors.js';
import { createMemoryLogger } from '../support/context.js';
import { convergeStateBucket, inspectStateBucket } from '../../lib/state-bucket/converge.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { sandboxConfig } from '../support/config.js';
import { sandboxForTests } from '../support/sandbox.js';
import { sdkOutcome } from '../support/sdk-outcome.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await sandboxForTests();
});
after(async () => {
  await sandbox.stop();
});

const injected = (code: string): number => sandbox.awsProxy.requests().filter((r) => r.fault === code).length;

describe('sandbox faults as the AWS SDK sees them', () => {
  test('S3 lag: HeadBucket finds the new bucket while its configuration still answers NoSuchBucket; init converges through it', async () => {
    sandbox.faults.set({ s3Lag: 3 });
    const s3 = new S3Client({ ...sandbox.clientOptions(sandbox.awsProxy.url), maxAttempts: 1 });
    await s3.send(new CreateBucketCommand({ Bucket: 'lag-raw' }));
    assert.equal(await sdkOutcome(s3.send(new HeadBucketCommand({ Bucket: 'lag-raw' }))), 'ok');
    assert.equal(await sdkOutcome(s3.send(new GetBucketVersioningCommand({ Bucket: 'lag-raw' }))), 'NoSuchBucket 404');
    s3.destroy();

    sandbox.awsProxy.resetRequestLog();
    const config = sandboxConfig(sandbox, { stateBucket: 'lag-converge' });
    const report = await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    assert.equal(report.created, true);
    assert.equal(injected('NoSuchBucket'), 3, 'the lag was met, and waited out');
    sandbox.faults.set({});
    const state = await inspectStateBucket({ config, signal: new AbortController().signal }, sandbox.credentials, sandbox.accountId);
    assert.ok(
      state.settings.every((s) => s.ok),
      JSON.stringify(state.settings),
    );
  });

  test('S3 lag longer than DEPLOY_BUCKET_READY_TIMEOUT_SECONDS: a bounded failure that says what to raise', async () => {
    sandbox.faults.set({ s3Lag: 1000 });
    const config = sandboxConfig(sandbox, { stateBucket: 'lag-forever', bucketReadyTimeoutSeconds: '2' });
    await assert.rejects(
      convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger()),
      (error: unknown) =>
        error instanceof TaskError && error.code === 'BUCKET_NOT_READY' && /DEPLOY_BUCKET_READY_TIMEOUT_SECONDS/.test(error.hint ?? ''),
    );
    sandbox.faults.set({});
  });

  test('throttling: SlowDown 503, Throttling 400 and ThrottlingException 400 to a client that does not retry; retries get through', async () => {
    sandbox.faults.set({ throttle: 2 });
    const options = { ...sandbox.clientOptions(sandbox.awsProxy.url), maxAttempts: 1 };
    const s3 = new S3Client(options);
    const sts = new STSClient(options);
    const api = new ecr.ECRPUBLIC({ ...sandbox.clientOptions(sandbox.ecrProxy.url), maxAttempts: 1 });
    const twice = async (call: () => Promise<unknown>): Promise<string> => {
      await sdkOutcome(call());
      return sdkOutcome(call());
    };
    assert.equal(await twice(() => s3.send(new GetBucketVersioningCommand({ Bucket: 'lag-converge' }))), 'SlowDown 503');
    assert.equal(await twice(() => sts.send(new GetCallerIdentityCommand({}))), 'Throttling 400');
    assert.equal(await twice(() => api.describeRegistries({})), 'ThrottlingException 400');
    [s3, sts, api].forEach((c) => c.destroy());

    sandbox.awsProxy.resetRequestLog();
    const config = sandboxConfig(sandbox, { stateBucket: 'throttled-converge' });
    const report = await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    assert.equal(report.created, true);
    assert.ok(injected('SlowDown') > 0, 'requests were throttled on the way');
    sandbox.faults.set({});
  });

  test('ECR Public lag: DescribeRepositories misses a new repository for the next N calls', async () => {
    sandbox.faults.set({ ecrLag: 2 });
    const api = new ecr.ECRPUBLIC(sandbox.clientOptions(sandbox.ecrProxy.url));
    await api.createRepository({ repositoryName: 'lag/app' });
    const describe = () => sdkOutcome(api.describeRepositories({ repositoryNames: ['lag/app'] }));
    assert.deepEqual(
      [await describe(), await describe(), await describe()],
      ['RepositoryNotFoundException 400', 'RepositoryNotFoundException 400', 'ok'],
    );
    await api.deleteRepository({ repositoryName: 'lag/app' });
    api.destroy();
    sandbox.faults.set({});
  });

  test('a short-lived session: its expiration reaches the tasks, and once it ends STS says ExpiredToken, which names the login command', async () => {
    sandbox.faults.set({ expire: 1 });
    const session = await sandbox.shortLivedSession();
    const env = { ...sandbox.env, ...session };
    const config = sandboxConfig(sandbox, {});
    const first = await resolveCredentials({ config, signal: new AbortController().signal }, env);
    const minutes = ((first.expiration?.getTime() ?? 0) - Date.now()) / 60000;
    assert.ok(minutes > 14 && minutes <= 15, `a 15-minute session, got ${minutes}`);
    await assert.rejects(
      resolveCredentials({ config, signal: new AbortController().signal }, env),
      (error: unknown) =>
        error instanceof TaskError &&
        error.code === 'CREDENTIALS_EXPIRED' &&
        /ExpiredTokenException/.test(error.message) &&
        /aws sso login --profile/.test(error.hint ?? ''),
    );
    assert.ok(
      (await resolveCredentials({ config, signal: new AbortController().signal }, sandbox.env)).identity.account,
      'the sandbox keys still work',
    );
    sandbox.faults.set({});
  });

  test('an ended session at the bucket: HeadBucket answers a bare 400, and the task names ExpiredToken, not another region', async () => {
    const session = await sandbox.shortLivedSession();
    sandbox.faults.expireSessions();
    const ended = {
      accessKeyId: session.AWS_ACCESS_KEY_ID ?? '',
      secretAccessKey: session.AWS_SECRET_ACCESS_KEY ?? '',
      sessionToken: session.AWS_SESSION_TOKEN ?? '',
    };
    const config = sandboxConfig(sandbox, { stateBucket: 'lag-converge' });
    await assert.rejects(
      convergeStateBucket(config, ended, sandbox.accountId, createMemoryLogger()),
      (error: unknown) => error instanceof TaskError && error.code === 'CREDENTIALS_EXPIRED' && /ExpiredToken/.test(error.message),
    );
  });
});
