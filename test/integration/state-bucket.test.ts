import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import {
  GetBucketLifecycleConfigurationCommand,
  GetBucketPolicyCommand,
  GetBucketVersioningCommand,
  PutBucketVersioningCommand,
  S3Client,
} from '@aws-sdk/client-s3';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { CreateBucketCommand } from '@aws-sdk/client-s3';
import { clientSettings } from '../../lib/aws/clients.js';
import { TaskError } from '../../lib/core/errors.js';
import { createMemoryLogger } from '../support/context.js';
import { convergeStateBucket, inspectStateBucket } from '../../lib/state-bucket/converge.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { sandboxConfig } from '../support/config.js';
import { sandboxForTests } from '../support/sandbox.js';

let sandbox: Sandbox;
before(async () => {
  sandbox = await sandboxForTests();
});
after(async () => {
  await sandbox.stop();
});

describe('state bucket convergence against moto', () => {
  test('creates and hardens a new bucket, then a second run only reads', async () => {
    const config = sandboxConfig(sandbox, { stateBucket: 'converge-first-run' });
    const first = await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    assert.equal(first.created, true);
    // Ownership is set by CreateBucket itself; everything else is written once.
    assert.deepEqual(first.changed, ['public access block', 'default encryption', 'versioning', 'TLS-only bucket policy', 'tags']);
    const second = await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    assert.equal(second.created, false);
    assert.deepEqual(second.changed, []);
    assert.equal(second.requests.writes, 0);
    // HeadBucket + GetBucketLocation + one read per setting (7).
    assert.equal(second.requests.reads, 2 + 7);
    const inspected = await inspectStateBucket({ config, signal: new AbortController().signal }, sandbox.credentials, sandbox.accountId);
    assert.ok(
      inspected.settings.every((s) => s.ok),
      JSON.stringify(inspected.settings),
    );
  });

  test('repairs a setting someone turned off, and only that one', async () => {
    const config = sandboxConfig(sandbox, { stateBucket: 'converge-repair' });
    await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    const s3 = new S3Client(clientSettings('s3', config, sandbox.credentials));
    await s3.send(new PutBucketVersioningCommand({ Bucket: 'converge-repair', VersioningConfiguration: { Status: 'Suspended' } }));
    const repaired = await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    assert.deepEqual(repaired.changed, ['versioning']);
    assert.equal(repaired.requests.writes, 1);
    const versioning = await s3.send(new GetBucketVersioningCommand({ Bucket: 'converge-repair' }));
    assert.equal(versioning.Status, 'Enabled');
    const policy = JSON.parse((await s3.send(new GetBucketPolicyCommand({ Bucket: 'converge-repair' }))).Policy ?? '{}') as {
      Statement: Array<{ Sid: string }>;
    };
    assert.deepEqual(
      policy.Statement.map((s) => s.Sid),
      ['DenyInsecureTransport'],
    );
    s3.destroy();
  });

  test('noncurrent-version expiry is added when configured and removed again at 0', async () => {
    const withExpiry = sandboxConfig(sandbox, { stateBucket: 'converge-lifecycle', stateNoncurrentDays: '30' });
    const first = await convergeStateBucket(withExpiry, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    assert.ok(first.changed.includes('noncurrent version expiry'));
    const s3 = new S3Client(clientSettings('s3', withExpiry, sandbox.credentials));
    const rules = async () => (await s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: 'converge-lifecycle' }))).Rules ?? [];
    assert.deepEqual(
      (await rules()).map((r) => [r.ID, r.NoncurrentVersionExpiration?.NoncurrentDays]),
      [['expire-noncurrent-state-versions', 30]],
    );
    const keepAll = sandboxConfig(sandbox, { stateBucket: 'converge-lifecycle', stateNoncurrentDays: '0' });
    const second = await convergeStateBucket(keepAll, sandbox.credentials, sandbox.accountId, createMemoryLogger());
    assert.deepEqual(second.changed, ['noncurrent version expiry']);
    await assert.rejects(rules(), { name: 'NoSuchLifecycleConfiguration' });
    s3.destroy();
  });

  test('a bucket in another region than DEPLOY_STATE_REGION is named with the fix', async () => {
    const ireland = new S3Client({ ...sandbox.clientOptions(sandbox.awsProxy.url), region: 'eu-west-1' });
    await ireland.send(
      new CreateBucketCommand({ Bucket: 'state-in-ireland', CreateBucketConfiguration: { LocationConstraint: 'eu-west-1' } }),
    );
    ireland.destroy();
    sandbox.awsProxy.resetRequestLog();
    await assert.rejects(
      convergeStateBucket(
        sandboxConfig(sandbox, { stateBucket: 'state-in-ireland' }),
        sandbox.credentials,
        sandbox.accountId,
        createMemoryLogger(),
      ),
      (error: unknown) =>
        error instanceof TaskError && error.code === 'BUCKET_REGION' && /DEPLOY_STATE_REGION=eu-west-1/.test(error.hint ?? ''),
    );
    assert.deepEqual(
      sandbox.awsProxy.requests().filter((r) => r.write),
      [],
    );
  });

  test('a bucket name owned by another account is a clear error and nothing is written', async () => {
    const sts = new STSClient(sandbox.clientOptions(sandbox.awsProxy.url));
    const other = await sts.send(
      new AssumeRoleCommand({ RoleArn: 'arn:aws:iam::111111111111:role/other-team', RoleSessionName: 'foreign' }),
    );
    sts.destroy();
    const c = other.Credentials;
    assert.ok(c?.AccessKeyId && c.SecretAccessKey);
    sandbox.awsProxy.registerAccount(c.AccessKeyId, '111111111111');
    const foreignCredentials = {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      ...(c.SessionToken ? { sessionToken: c.SessionToken } : {}),
    };
    const config = sandboxConfig(sandbox, { stateBucket: 'someone-elses-bucket' });
    const foreign = new S3Client(clientSettings('s3', config, foreignCredentials));
    await foreign.send(new CreateBucketCommand({ Bucket: 'someone-elses-bucket' }));
    foreign.destroy();
    sandbox.awsProxy.resetRequestLog();
    await assert.rejects(
      convergeStateBucket(config, sandbox.credentials, sandbox.accountId, createMemoryLogger()),
      (error: unknown) => error instanceof TaskError && error.code === 'BUCKET_FOREIGN' && /DEPLOY_STATE_BUCKET/.test(error.hint ?? ''),
    );
    assert.deepEqual(
      sandbox.awsProxy.requests().filter((r) => r.write),
      [],
    );
  });
});
