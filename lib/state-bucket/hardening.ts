import {
  DeleteBucketLifecycleCommand,
  GetBucketEncryptionCommand,
  GetBucketLifecycleConfigurationCommand,
  GetBucketOwnershipControlsCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetBucketVersioningCommand,
  GetPublicAccessBlockCommand,
  PutBucketEncryptionCommand,
  PutBucketLifecycleConfigurationCommand,
  PutBucketOwnershipControlsCommand,
  PutBucketPolicyCommand,
  PutBucketTaggingCommand,
  PutBucketVersioningCommand,
  PutPublicAccessBlockCommand,
  type LifecycleRule,
  type S3Client,
} from '@aws-sdk/client-s3';
import { awsErrorName } from '../core/errors.js';
import { lifecycleRuleId, tlsStatementSid, type DesiredBucket } from './desired.js';
import * as v from 'valibot';
import { parseJson } from '../core/outside-data.js';

/**
 * One hardening setting of the state bucket: read it, judge it, and (init only) write it.
 * Each is read once and written only when it differs, so a second init makes no writes.
 */
export interface BucketSetting<T> {
  name: string;
  /** Whether the configuration asks for this setting at all (lifecycle is optional). */
  wanted: (d: DesiredBucket) => boolean;
  read: (s3: S3Client, d: DesiredBucket, owner: string) => Promise<T>;
  ok: (current: T, d: DesiredBucket) => boolean;
  write: (s3: S3Client, d: DesiredBucket, owner: string, current: T) => Promise<void>;
  /** What doctor prints when the setting is missing. */
  missing: string;
}

/** S3 answers "not configured" with an error; those names mean "absent", anything else is real. */
async function orAbsent<T>(read: Promise<T>, absentNames: string[]): Promise<T | undefined> {
  try {
    return await read;
  } catch (error) {
    if (absentNames.includes(awsErrorName(error) ?? '')) return undefined;
    throw error;
  }
}

const ownership: BucketSetting<string | undefined> = {
  name: 'object ownership',
  wanted: () => true,
  read: async (s3, d, owner) =>
    (
      await orAbsent(s3.send(new GetBucketOwnershipControlsCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner })), [
        'OwnershipControlsNotFoundError',
      ])
    )?.OwnershipControls?.Rules?.[0]?.ObjectOwnership,
  ok: (current) => current === 'BucketOwnerEnforced',
  write: async (s3, d, owner) => {
    await s3.send(
      new PutBucketOwnershipControlsCommand({
        Bucket: d.bucket,
        ExpectedBucketOwner: owner,
        OwnershipControls: { Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] },
      }),
    );
  },
  missing: 'object ownership is not BucketOwnerEnforced (ACLs still apply)',
};

const publicAccessFlags = ['BlockPublicAcls', 'IgnorePublicAcls', 'BlockPublicPolicy', 'RestrictPublicBuckets'] as const;

const publicAccessBlock: BucketSetting<Record<string, boolean | undefined> | undefined> = {
  name: 'public access block',
  wanted: () => true,
  read: async (s3, d, owner) =>
    (
      await orAbsent(s3.send(new GetPublicAccessBlockCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner })), [
        'NoSuchPublicAccessBlockConfiguration',
      ])
    )?.PublicAccessBlockConfiguration as Record<string, boolean | undefined> | undefined,
  ok: (current) => publicAccessFlags.every((flag) => current?.[flag] === true),
  write: async (s3, d, owner) => {
    const all = Object.fromEntries(publicAccessFlags.map((flag) => [flag, true]));
    await s3.send(new PutPublicAccessBlockCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner, PublicAccessBlockConfiguration: all }));
  },
  missing: 'not all four public access blocks are on',
};

interface Encryption {
  algorithm: string | undefined;
  kmsKeyId: string | undefined;
}

/**
 * S3 may report a key by another of its names (alias/x as its ARN, a key id as its ARN):
 * compare the part after the ARN prefix, so an equivalent key is not rewritten on every init.
 */
export function sameKmsKey(current: string | undefined, wanted: string | undefined): boolean {
  const short = (id: string | undefined) =>
    id === undefined ? undefined : id.replace(/^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:/, '').replace(/^key\//, '');
  return short(current) === short(wanted);
}

const encryption: BucketSetting<Encryption> = {
  name: 'default encryption',
  wanted: () => true,
  read: async (s3, d, owner) => {
    const out = await orAbsent(s3.send(new GetBucketEncryptionCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner })), [
      'ServerSideEncryptionConfigurationNotFoundError',
    ]);
    const rule = out?.ServerSideEncryptionConfiguration?.Rules?.[0]?.ApplyServerSideEncryptionByDefault;
    return { algorithm: rule?.SSEAlgorithm, kmsKeyId: rule?.KMSMasterKeyID };
  },
  ok: (current, d) => current.algorithm === d.encryption.algorithm && sameKmsKey(current.kmsKeyId, d.encryption.kmsKeyId),
  write: async (s3, d, owner) => {
    const byDefault = d.encryption.kmsKeyId
      ? { SSEAlgorithm: 'aws:kms' as const, KMSMasterKeyID: d.encryption.kmsKeyId }
      : { SSEAlgorithm: 'AES256' as const };
    await s3.send(
      new PutBucketEncryptionCommand({
        Bucket: d.bucket,
        ExpectedBucketOwner: owner,
        ServerSideEncryptionConfiguration: {
          Rules: [{ ApplyServerSideEncryptionByDefault: byDefault, BucketKeyEnabled: d.encryption.kmsKeyId !== undefined }],
        },
      }),
    );
  },
  missing: 'default encryption differs from the configured one',
};

const versioning: BucketSetting<string | undefined> = {
  name: 'versioning',
  wanted: () => true,
  read: async (s3, d, owner) => (await s3.send(new GetBucketVersioningCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner }))).Status,
  ok: (current) => current === 'Enabled',
  write: async (s3, d, owner) => {
    await s3.send(
      new PutBucketVersioningCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner, VersioningConfiguration: { Status: 'Enabled' } }),
    );
  },
  missing: 'versioning is not enabled (state history cannot be recovered)',
};

/** A bucket policy as S3 returns it: statements are kept whole (someone else's are written back as they are). */
const policyDocument = v.object({
  Version: v.optional(v.string()),
  Statement: v.optional(v.array(v.record(v.string(), v.unknown()))),
});
type PolicyDocument = v.InferOutput<typeof policyDocument>;

const policy: BucketSetting<PolicyDocument | undefined> = {
  name: 'TLS-only bucket policy',
  wanted: () => true,
  read: async (s3, d, owner) => {
    const out = await orAbsent(s3.send(new GetBucketPolicyCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner })), [
      'NoSuchBucketPolicy',
    ]);
    if (!out?.Policy) return undefined;
    return parseJson(out.Policy, policyDocument, {
      what: `The bucket policy of s3://${d.bucket}`,
      code: 'BUCKET_POLICY_UNREADABLE',
      hint: `Look at it: aws s3api get-bucket-policy --bucket ${d.bucket}; correct it or delete it (aws s3api delete-bucket-policy --bucket ${d.bucket}), then run the task again.`,
    });
  },
  ok: (current, d) => current?.Statement?.some((s) => JSON.stringify(s) === JSON.stringify(d.policyStatement)) === true,
  write: async (s3, d, owner, current) => {
    // Keep statements someone else added; replace only ours.
    const others = (current?.Statement ?? []).filter((s) => s.Sid !== tlsStatementSid);
    const document = { Version: '2012-10-17', Statement: [...others, d.policyStatement] };
    await s3.send(new PutBucketPolicyCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner, Policy: JSON.stringify(document) }));
  },
  missing: 'no statement denies requests without TLS',
};

const tags: BucketSetting<Record<string, string>> = {
  name: 'tags',
  wanted: (d) => Object.keys(d.tags).length > 0,
  read: async (s3, d, owner) => {
    const out = await orAbsent(s3.send(new GetBucketTaggingCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner })), ['NoSuchTagSet']);
    return Object.fromEntries((out?.TagSet ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
  },
  ok: (current, d) => Object.entries(d.tags).every(([k, v]) => current[k] === v),
  write: async (s3, d, owner, current) => {
    // aws: keys are the system's own and may not be written back.
    const kept = Object.fromEntries(Object.entries(current).filter(([k]) => !k.startsWith('aws:')));
    const merged = { ...kept, ...d.tags };
    await s3.send(
      new PutBucketTaggingCommand({
        Bucket: d.bucket,
        ExpectedBucketOwner: owner,
        Tagging: { TagSet: Object.entries(merged).map(([Key, Value]) => ({ Key, Value })) },
      }),
    );
  },
  missing: 'configured tags are missing',
};

interface Lifecycle {
  days: number | undefined;
  others: LifecycleRule[];
}

const lifecycle: BucketSetting<Lifecycle> = {
  name: 'noncurrent version expiry',
  // Always read: 0 means "keep every version", so an earlier expiry rule of ours must go.
  wanted: () => true,
  read: async (s3, d, owner) => {
    const out = await orAbsent(s3.send(new GetBucketLifecycleConfigurationCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner })), [
      'NoSuchLifecycleConfiguration',
    ]);
    const rules = out?.Rules ?? [];
    const ours = rules.find((r) => r.ID === lifecycleRuleId && r.Status === 'Enabled');
    return { days: ours?.NoncurrentVersionExpiration?.NoncurrentDays, others: rules.filter((r) => r.ID !== lifecycleRuleId) };
  },
  ok: (current, d) => current.days === (d.noncurrentDays > 0 ? d.noncurrentDays : undefined),
  write: async (s3, d, owner, current) => {
    if (d.noncurrentDays === 0 && current.others.length === 0) {
      await s3.send(new DeleteBucketLifecycleCommand({ Bucket: d.bucket, ExpectedBucketOwner: owner }));
      return;
    }
    if (d.noncurrentDays === 0) {
      await s3.send(
        new PutBucketLifecycleConfigurationCommand({
          Bucket: d.bucket,
          ExpectedBucketOwner: owner,
          LifecycleConfiguration: { Rules: current.others },
        }),
      );
      return;
    }
    const ours: LifecycleRule = {
      ID: lifecycleRuleId,
      Status: 'Enabled',
      Filter: { Prefix: '' },
      NoncurrentVersionExpiration: { NoncurrentDays: d.noncurrentDays },
    };
    await s3.send(
      new PutBucketLifecycleConfigurationCommand({
        Bucket: d.bucket,
        ExpectedBucketOwner: owner,
        LifecycleConfiguration: { Rules: [...current.others, ours] },
      }),
    );
  },
  missing: 'noncurrent state versions are not set to expire as configured',
};

export const bucketSettings: ReadonlyArray<BucketSetting<unknown>> = [
  ownership,
  publicAccessBlock,
  encryption,
  versioning,
  policy,
  tags,
  lifecycle,
] as ReadonlyArray<BucketSetting<unknown>>;
