import { GetBucketLocationCommand, HeadBucketCommand, type S3Client } from '@aws-sdk/client-s3';
import { createWaiter, WaiterState } from '@smithy/core/client';
import { interrupted } from '../aws/bounded.js';
import type { AwsScope } from '../aws/clients.js';
import { explainAwsError } from '../aws/explain.js';
import { awsErrorName, httpStatus, TaskError } from '../core/errors.js';

/**
 * Repeats `call` with the SDK waiter's backoff while `passing(error)` says its failure
 * will pass, bounded by DEPLOY_BUCKET_READY_TIMEOUT_SECONDS. Any other failure ends it
 * at once and is thrown as it came; running out of time throws BUCKET_NOT_READY. The
 * task's signal (Ctrl-C) stops the wait too.
 */
async function untilSettled<T>(
  s3: S3Client,
  scope: AwsScope,
  call: () => Promise<T>,
  passing: (error: unknown) => boolean,
  what: string,
): Promise<T> {
  const { config } = scope;
  let answer: { value: T } | undefined;
  let failure: unknown;
  let tries = 0;
  const waited = await createWaiter(
    { client: s3, maxWaitTime: config.bucketReadyTimeoutSeconds, minDelay: 1, maxDelay: 5, abortSignal: scope.signal },
    undefined,
    async (): Promise<{ state: WaiterState }> => {
      // A stopped wait returns at once, but the waiter's loop still wakes from its backoff
      // and would call again: it must not.
      if (scope.signal.aborted) return { state: WaiterState.ABORTED };
      tries += 1;
      try {
        answer = { value: await call() };
        return { state: WaiterState.SUCCESS };
      } catch (error) {
        failure = error;
        return { state: passing(error) ? WaiterState.RETRY : WaiterState.FAILURE };
      }
    },
  );
  if (answer !== undefined) return answer.value;
  if (waited.state === WaiterState.FAILURE) throw failure;
  if (waited.state === WaiterState.ABORTED) throw interrupted(scope, 's3');
  throw new TaskError(`The state bucket ${config.stateBucket} ${what} after ${tries} tries within ${config.bucketReadyTimeoutSeconds}s.`, {
    code: 'BUCKET_NOT_READY',
    hint: 'Raise DEPLOY_BUCKET_READY_TIMEOUT_SECONDS, or check S3 health, then run npm run init again (it resumes where it stopped).',
    cause: failure,
  });
}

/**
 * Runs one bucket-configuration call, again while S3 answers NoSuchBucket for a bucket
 * HeadBucket already found. S3 makes a new bucket visible to some requests before
 * others (what broke Terragrunt's bootstrap, which takes that answer as final). Every
 * call it wraps is a read or an idempotent write, so repeating one is safe.
 */
export function onceBucketSettles<T>(s3: S3Client, scope: AwsScope, call: () => Promise<T>): Promise<T> {
  return untilSettled(
    s3,
    scope,
    call,
    (error) => awsErrorName(error) === 'NoSuchBucket',
    'was found, but its configuration still answered NoSuchBucket',
  );
}

/**
 * Runs `calls` side by side, each through onceBucketSettles, and returns their answers in
 * order. The first failure stops the others' waits (no retry starts after it), and is thrown
 * once every call in flight has ended: nothing of this keeps calling S3 after it returns.
 */
export async function settleSideBySide<T>(s3: S3Client, scope: AwsScope, calls: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const stop = new AbortController();
  const each = { ...scope, signal: AbortSignal.any([scope.signal, stop.signal]) };
  // A stopped wait returns at once; the request it had in flight is still awaited below.
  const inFlight = new Set<Promise<T>>();
  const tracked = (call: () => Promise<T>) => (): Promise<T> => {
    const request = call();
    inFlight.add(request);
    return request.finally(() => inFlight.delete(request));
  };
  let first: { error: unknown } | undefined;
  const settled = await Promise.allSettled(
    calls.map((call) =>
      onceBucketSettles(s3, each, tracked(call)).catch((error: unknown) => {
        first ??= { error };
        stop.abort();
        throw error;
      }),
    ),
  );
  await Promise.allSettled([...inFlight]);
  if (first !== undefined) throw first.error;
  return settled.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
}

/**
 * After CreateBucket: HeadBucket until the bucket answers. Only "not found yet" and server
 * errors are waited out. HEAD answers carry no body, so any other failure (an expired
 * session answers 400) is asked again with a GET, whose answer names the real error.
 */
export async function waitForNewBucket(s3: S3Client, scope: AwsScope): Promise<void> {
  const { config } = scope;
  const head = async (): Promise<void> => {
    try {
      await s3.send(new HeadBucketCommand({ Bucket: config.stateBucket }));
    } catch (error) {
      const status = httpStatus(error) ?? 0;
      if (status === 404 || status >= 500) throw error;
      throw explainAwsError(await namedError(s3, config, error), { config, action: `reach the new state bucket ${config.stateBucket}` });
    }
  };
  const pending = (error: unknown): boolean => !(error instanceof TaskError);
  await untilSettled(s3, scope, head, pending, 'was created but did not become reachable');
}

async function namedError(s3: S3Client, config: AwsScope['config'], headError: unknown): Promise<unknown> {
  try {
    await s3.send(new GetBucketLocationCommand({ Bucket: config.stateBucket }));
    return headError;
  } catch (error) {
    return error;
  }
}
