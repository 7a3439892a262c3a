import type { S3Client } from '@aws-sdk/client-s3';
import { createWaiter, WaiterState } from '@smithy/core/client';
import type { Config } from '../config/load.js';
import { awsErrorName, TaskError } from '../errors.js';

/**
 * Runs one bucket-configuration call, again while S3 answers NoSuchBucket for a bucket
 * HeadBucket already found. S3 makes a new bucket visible to some requests before
 * others (what broke Terragrunt's bootstrap, which treats that answer as final): the
 * call is repeated with the SDK waiter's backoff, bounded by
 * DEPLOY_BUCKET_READY_TIMEOUT_SECONDS; any other error ends it at once. Every call it
 * wraps is a read or an idempotent write, so repeating one is safe.
 */
export async function onceBucketSettles<T>(s3: S3Client, config: Config, call: () => Promise<T>): Promise<T> {
  let answer: { value: T } | undefined;
  let failure: unknown;
  let lagged = 0;
  const waited = await createWaiter(
    { client: s3, maxWaitTime: config.bucketReadyTimeoutSeconds, minDelay: 1, maxDelay: 5 },
    undefined,
    async (): Promise<{ state: WaiterState }> => {
      try {
        answer = { value: await call() };
        return { state: WaiterState.SUCCESS };
      } catch (error) {
        failure = error;
        if (awsErrorName(error) !== 'NoSuchBucket') return { state: WaiterState.FAILURE };
        lagged += 1;
        return { state: WaiterState.RETRY };
      }
    },
  );
  if (answer !== undefined) return answer.value;
  if (waited.state === WaiterState.FAILURE) throw failure;
  throw new TaskError(
    `S3 found the state bucket ${config.stateBucket}, but still answered NoSuchBucket to its configuration ${lagged} times within ${config.bucketReadyTimeoutSeconds}s.`,
    {
      code: 'BUCKET_NOT_READY',
      hint: 'Raise DEPLOY_BUCKET_READY_TIMEOUT_SECONDS, or check S3 health, then run npm run init again (it resumes where it stopped).',
      cause: failure,
    },
  );
}
