import { DeleteObjectCommand, GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { bounded } from '../aws/bounded.js';
import { clientSettings, type AwsScope } from '../aws/clients.js';
import { explainAwsError } from '../aws/explain.js';
import { awsErrorName } from '../core/errors.js';

/** Where terraform keeps a unit's state and lock: root.hcl's key is `<unit>/terraform.tfstate`. */
export function stateKeys(config: { unit: string }): { state: string; lock: string } {
  const state = `${config.unit}/terraform.tfstate`;
  return { state, lock: `${state}.tflock` };
}

/** An object of the state bucket as text; undefined when it (or the bucket) does not exist. */
export async function readStateObject(
  scope: AwsScope,
  credentials: AwsCredentialIdentity,
  account: string,
  key: string,
): Promise<string | undefined> {
  const { config } = scope;
  const s3 = bounded(new S3Client(clientSettings('s3', config, credentials)), 's3', scope);
  try {
    const out = await s3.send(new GetObjectCommand({ Bucket: config.stateBucket, Key: key, ExpectedBucketOwner: account }));
    return await out.Body?.transformToString();
  } catch (error) {
    // No bucket or no object: nothing applied or locked yet (the bucket check reports a missing bucket).
    if (['NoSuchKey', 'NotFound', 'NoSuchBucket'].includes(awsErrorName(error) ?? '')) return undefined;
    throw explainAwsError(error, { config, action: `read s3://${config.stateBucket}/${key}` });
  } finally {
    s3.destroy();
  }
}

/** Deletes an object of the state bucket (a delete marker: the bucket is versioned, history stays). */
export async function deleteStateObject(scope: AwsScope, credentials: AwsCredentialIdentity, account: string, key: string): Promise<void> {
  const { config } = scope;
  const s3 = bounded(new S3Client(clientSettings('s3', config, credentials)), 's3', scope);
  try {
    await s3.send(new DeleteObjectCommand({ Bucket: config.stateBucket, Key: key, ExpectedBucketOwner: account }));
  } catch (error) {
    throw explainAwsError(error, { config, action: `delete s3://${config.stateBucket}/${key}` });
  } finally {
    s3.destroy();
  }
}
