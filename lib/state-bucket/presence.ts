import {
  CreateBucketCommand,
  GetBucketLocationCommand,
  HeadBucketCommand,
  type HeadBucketCommandOutput,
  type S3Client,
} from '@aws-sdk/client-s3';
import type { Config } from '../config/load.js';
import { awsErrorName, httpStatus, TaskError } from '../core/errors.js';
import type { AwsScope } from '../aws/clients.js';
import { explainAwsError } from '../aws/explain.js';
import { onceBucketSettles, waitForNewBucket } from './settle.js';

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
export async function bucketPresence(s3: S3Client, scope: AwsScope, account: string): Promise<Presence> {
  const { config } = scope;
  // The region check needs nothing from HeadBucket but its success: both reads go out at once.
  const region = assertRegion(s3, config, account).then(
    () => undefined,
    (error: unknown) => ({ error }),
  );
  let head: HeadBucketCommandOutput;
  try {
    head = await s3.send(new HeadBucketCommand({ Bucket: config.stateBucket, ExpectedBucketOwner: account }));
  } catch (error) {
    // HEAD answers carry no body, so the SDK often knows only the status code.
    const name = awsErrorName(error);
    const status = httpStatus(error);
    if (name === 'NotFound' || name === 'NoSuchBucket' || status === 404) return 'absent';
    if (name === 'Forbidden' || name === 'AccessDenied' || status === 403) throw foreignBucket(config, error);
    // Another region answers HEAD with 301 (or 400), naming the real one in x-amz-bucket-region.
    const actual = bucketRegionHeader(error);
    if (actual !== undefined || name === 'PermanentRedirect' || name === 'MovedPermanently' || status === 301)
      throw wrongRegion(config, actual, error);
    // A bare 400 (an expired session, say): the region check, a GET with a body, names it.
    const located = await region;
    if (status === 400)
      throw located
        ? explainAwsError(located.error, { config, action: `look up the state bucket ${config.stateBucket}` })
        : wrongRegion(config, undefined, error);
    throw explainAwsError(error, { config, action: `look up the state bucket ${config.stateBucket}` });
  }
  const failed = await region;
  assertS3Answer(config, head);
  if (failed === undefined) return 'ours';
  // GetBucketLocation is a configuration call: right after a create it may still answer NoSuchBucket.
  if (awsErrorName(failed.error) !== 'NoSuchBucket') throw failed.error;
  await onceBucketSettles(s3, scope, () => assertRegion(s3, config, account));
  return 'ours';
}

/**
 * S3 answers a HeadBucket it serves with the bucket's region (x-amz-bucket-region). A 200
 * without it is not S3's (a captive portal, a proxy's page, another service at
 * AWS_ENDPOINT_URL_S3 answering 200 to everything): taking it for the bucket would hand
 * terraform a state bucket that does not exist.
 */
function assertS3Answer(config: Config, head: HeadBucketCommandOutput): void {
  if (head.BucketRegion === undefined || head.BucketRegion === '')
    throw new TaskError(
      `The S3 endpoint ${config.s3Endpoint ?? "(AWS's)"} answered HeadBucket for ${config.stateBucket} with success but without the x-amz-bucket-region header S3 always sends: it is not an S3 answer, so the bucket is not confirmed. Nothing was written.`,
      {
        code: 'S3_UNREADABLE',
        hint: 'Point AWS_ENDPOINT_URL_S3 at S3 (or unset it to use AWS), or let the proxy in between pass S3 headers through unchanged; then run npm run doctor.',
      },
    );
  if (head.BucketRegion !== config.stateRegion) throw wrongRegion(config, head.BucketRegion, undefined);
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
  await waitForNewBucket(s3, scope);
}
