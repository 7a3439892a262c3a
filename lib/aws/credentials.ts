import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Config } from '../config/load.js';
import { ExitCode, TaskError } from '../errors.js';
import { clientSettings } from './clients.js';
import { explainAwsError, loginCommand } from './explain.js';

export interface CallerIdentity {
  account: string;
  arn: string;
}

export interface ResolvedCredentials {
  credentials: AwsCredentialIdentity;
  identity: CallerIdentity;
  /** When temporary credentials (SSO, assumed role) stop working; undefined for long-lived keys. */
  expiration: Date | undefined;
}

/** The first link of the SDK's default chain, read from the given environment (tests pass their own). */
function fromEnvironment(env: NodeJS.ProcessEnv): AwsCredentialIdentity | undefined {
  const accessKeyId = env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) return undefined;
  const sessionToken = env.AWS_SESSION_TOKEN || undefined;
  // Read as the SDK's own environment provider reads it: temporary keys say when they end.
  const expiration = env.AWS_CREDENTIAL_EXPIRATION ? new Date(env.AWS_CREDENTIAL_EXPIRATION) : undefined;
  if (expiration !== undefined && Number.isNaN(expiration.getTime()))
    throw new TaskError(`AWS_CREDENTIAL_EXPIRATION=${env.AWS_CREDENTIAL_EXPIRATION} is not a date.`, {
      code: 'CONFIG_INVALID',
      hint: 'Set it to the ISO 8601 expiration your credentials came with (e.g. 2026-11-27T13:00:00Z), or unset it.',
      exitCode: ExitCode.config,
    });
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(expiration ? { expiration } : {}) };
}

async function fromChain(config: Config, env: NodeJS.ProcessEnv): Promise<AwsCredentialIdentity> {
  const fromEnv = config.profile === undefined ? fromEnvironment(env) : undefined;
  if (fromEnv) return fromEnv;
  try {
    // The SDK resolves SSO profiles itself (sso_session and legacy), which Terraform's S3 backend does not do reliably.
    // Loaded only here: explicit keys (CI, the sandbox) spare every run its ~40 ms.
    const { fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
    return await fromNodeProviderChain(config.profile === undefined ? {} : { profile: config.profile })();
  } catch (error) {
    throw explainAwsError(error, { config, action: 'resolve AWS credentials' });
  }
}

/** Resolves credentials, confirms them with STS and enforces the expected account before any write. */
export async function resolveCredentials(config: Config, env: NodeJS.ProcessEnv): Promise<ResolvedCredentials> {
  const credentials = await fromChain(config, env);
  const sts = new STSClient(clientSettings('sts', config, credentials));
  let identity: CallerIdentity;
  try {
    const out = await sts.send(new GetCallerIdentityCommand({}));
    identity = { account: out.Account ?? '', arn: out.Arn ?? '' };
  } catch (error) {
    throw explainAwsError(error, { config, action: 'confirm credentials with STS GetCallerIdentity' });
  } finally {
    sts.destroy();
  }
  assertExpectedAccount(config, identity);
  return { credentials, identity, expiration: credentials.expiration };
}

export function assertExpectedAccount(config: Config, identity: CallerIdentity): void {
  if (config.expectedAccountId === undefined || config.expectedAccountId === identity.account) return;
  const login = loginCommand(config);
  throw new TaskError(
    `The credentials belong to account ${identity.account} (${identity.arn}), but DEPLOY_EXPECTED_ACCOUNT_ID is ${config.expectedAccountId}. Nothing was changed.`,
    {
      code: 'ACCOUNT_MISMATCH',
      hint: `Use a profile for account ${config.expectedAccountId} (${login}, then --profile or AWS_PROFILE), or correct DEPLOY_EXPECTED_ACCOUNT_ID.`,
    },
  );
}
