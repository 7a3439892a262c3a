import { CreateBucketCommand, GetBucketLocationCommand, HeadBucketCommand, waitUntilBucketExists, type S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config/load.js';
import { awsErrorName, httpStatus, TaskError } from '../errors.js';
import { interrupted } from '../aws/bounded.js';
import type { AwsScope } from '../aws/clients.js';
import { explainAwsError } from '../aws/explain.js';

export type Presence = 'absent' | 'ours';

function foreignBucket(config: Config, cause: unknown): TaskError {
  return new TaskError(
    `The state bucket name "${config.stateBucket}" is taken by another AWS account (or this identity may not see it). Nothing was written.`,
    {
      code: 'BUCKET_FOREIGN',
      hint: 'S3 bucket names are global: set DEPLOY_STATE_BUCKET to a name unique to your account (e.g. add the account id), then run npm run init.',
      cause,
    },
  );
}

/**
 * HeadBucket with ExpectedBucketOwner: 404 means free to create, 403 means it exists
 * under someone else (or we lack access), which must stop the run before any write.
 */
export async function bucketPresence(s3: S3Client, config: Config, account: string): Promise<Presence> {
  try {
    await s3.send(new HeadBucketCommand({ Bucket: config.stateBucket, ExpectedBucketOwner: account }));
  } catch (error) {
    // HEAD answers carry no body, so the SDK often knows only the status code.
    const name = awsErrorName(error);
    const status = httpStatus(error);
    if (name === 'NotFound' || name === 'NoSuchBucket' || status === 404) return 'absent';
    if (name === 'Forbidden' || name === 'AccessDenied' || status === 403) throw foreignBucket(config, error);
    // Another region answers HEAD with 301 (or 400), naming the real one in x-amz-bucket-region.
    if (name === 'PermanentRedirect' || name === 'MovedPermanently' || status === 301 || status === 400)
      throw wrongRegion(config, bucketRegionHeader(error), error);
    throw explainAwsError(error, { config, action: `look up the state bucket ${config.stateBucket}` });
  }
  await assertRegion(s3, config, account);
  return 'ours';
}

function bucketRegionHeader(error: unknown): string | undefined {
  const headers = (error as { $response?: { headers?: Record<string, string | undefined> } } | null)?.$response?.headers;
  return headers?.['x-amz-bucket-region'];
}

function wrongRegion(config: Config, actual: string | undefined, cause: unknown): TaskError {
  return new TaskError(
    `The state bucket ${config.stateBucket} is in ${actual ?? 'another region'}, not DEPLOY_STATE_REGION=${config.stateRegion}.`,
    {
      code: 'BUCKET_REGION',
      hint: `Set DEPLOY_STATE_REGION=${actual ?? '<the bucket region>'} in .env (or pick another DEPLOY_STATE_BUCKET).`,
      cause,
    },
  );
}

async function assertRegion(s3: S3Client, config: Config, account: string): Promise<void> {
  const out = await s3.send(new GetBucketLocationCommand({ Bucket: config.stateBucket, ExpectedBucketOwner: account }));
  // S3 reports us-east-1 as an empty location constraint.
  const actual = out.LocationConstraint || 'us-east-1';
  if (actual !== config.stateRegion) throw wrongRegion(config, actual, undefined);
}

/** Creates the bucket with ACLs disabled, then waits (bounded by configuration, stopped by the scope's signal) until S3 serves it. */
export async function createBucket(s3: S3Client, scope: AwsScope): Promise<void> {
  const { config } = scope;
  try {
    await s3.send(
      new CreateBucketCommand({
        Bucket: config.stateBucket,
        ObjectOwnership: 'BucketOwnerEnforced',
        ...(config.stateRegion === 'us-east-1' ? {} : { CreateBucketConfiguration: { LocationConstraint: config.stateRegion as never } }),
      }),
    );
  } catch (error) {
    const name = awsErrorName(error);
    if (name === 'BucketAlreadyExists') throw foreignBucket(config, error);
    // Someone (a concurrent init) created it for us between HeadBucket and here: fine.
    if (name !== 'BucketAlreadyOwnedByYou')
      throw explainAwsError(error, { config, action: `create the state bucket ${config.stateBucket}` });
  }
  // The waiter throws unless the bucket answered within the bound.
  await waitUntilBucketExists(
    { client: s3, maxWaitTime: config.bucketReadyTimeoutSeconds, minDelay: 1, maxDelay: 5, abortSignal: scope.signal },
    { Bucket: config.stateBucket },
  ).catch((error: unknown) => {
    if (scope.signal.aborted) throw interrupted(scope, 's3');
    throw new TaskError(
      `The state bucket ${config.stateBucket} was created but did not become reachable within ${config.bucketReadyTimeoutSeconds}s: ${String(error)}`,
      {
        code: 'BUCKET_NOT_READY',
        hint: 'Raise DEPLOY_BUCKET_READY_TIMEOUT_SECONDS, or check S3 health, then run npm run init again (it resumes where it stopped).',
        cause: error,
      },
    );
  });
}
