import type { Config } from '../config/load.js';

/** What the state bucket must look like, derived from configuration only. */
export interface DesiredBucket {
  bucket: string;
  region: string;
  encryption: { algorithm: 'AES256' | 'aws:kms'; kmsKeyId: string | undefined };
  tags: Readonly<Record<string, string>>;
  noncurrentDays: number;
  policyStatement: TlsOnlyStatement;
}

interface TlsOnlyStatement {
  Sid: string;
  Effect: 'Deny';
  Principal: '*';
  Action: 's3:*';
  Resource: string[];
  Condition: { Bool: { 'aws:SecureTransport': 'false' } };
}

export const tlsStatementSid = 'DenyInsecureTransport';
export const lifecycleRuleId = 'expire-noncurrent-state-versions';

export function desiredBucket(config: Config): DesiredBucket {
  const arn = `arn:aws:s3:::${config.stateBucket}`;
  return {
    bucket: config.stateBucket,
    region: config.stateRegion,
    encryption: config.stateKmsKeyId
      ? { algorithm: 'aws:kms', kmsKeyId: config.stateKmsKeyId }
      : { algorithm: 'AES256', kmsKeyId: undefined },
    tags: config.stateTags,
    noncurrentDays: config.stateNoncurrentDays,
    policyStatement: {
      Sid: tlsStatementSid,
      Effect: 'Deny',
      Principal: '*',
      Action: 's3:*',
      Resource: [arn, `${arn}/*`],
      Condition: { Bool: { 'aws:SecureTransport': 'false' } },
    },
  };
}
