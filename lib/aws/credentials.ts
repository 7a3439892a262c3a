import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Config } from '../config/load.js';
import { ExitCode, TaskError } from '../core/errors.js';
import { bounded, callSignals, isTimeout, untilAborted } from './bounded.js';
import { clientSettings, handlerSettings, type AwsScope } from './clients.js';
import { explainLookup, lookupInterrupted, lookupUnanswered } from './credential-errors.js';
import { explainAwsError, loginCommand } from './explain.js';
import { profileInfo } from './profiles.js';

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

/**
 * A named profile is the only source: it resolves through the profile (SSO, which the SDK
 * resolves itself and Terraform's S3 backend does not reliably; role, process, keys) or
 * fails, never falling through to environment keys or instance metadata. Without
 * one, the default chain. The lookup (the SSO portal, an assumed role) has the bound of any
 * AWS call and stops on Ctrl-C: its own HTTP handler is destroyed then, sockets and all.
 */
async function lookUp(scope: AwsScope, env: NodeJS.ProcessEnv): Promise<AwsCredentialIdentity> {
  const { config } = scope;
  const fromEnv = config.profile === undefined ? fromEnvironment(env) : undefined;
  if (fromEnv) return fromEnv;
  const profile = config.profile === undefined ? undefined : await profileInfo(config.profile);
  // Loaded only here: explicit keys (CI, the sandbox) spare every run its ~40 ms.
  const { fromIni, fromNodeProviderChain } = await import('@aws-sdk/credential-providers');
  const requestHandler = new NodeHttpHandler(handlerSettings(config));
  // One attempt: a retry would outlive the bound, and a lookup that failed once says why.
  const clientConfig = { requestHandler, maxAttempts: 1 };
  const provider =
    config.profile === undefined ? fromNodeProviderChain({ clientConfig }) : fromIni({ profile: config.profile, clientConfig });
  const { deadline, signal } = callSignals(scope);
  try {
    // The SDK's SSO client is built inside the provider: the deadline is raced, then the handler destroyed.
    return await untilAborted(provider(), signal);
  } catch (error) {
    if (scope.signal.aborted) throw lookupInterrupted(profile, env);
    if (deadline.aborted || isTimeout(error)) throw lookupUnanswered(config, profile, env, error);
    throw explainLookup(error, config, profile, env);
  } finally {
    requestHandler.destroy();
  }
}

/** Resolves credentials, confirms them with STS and enforces the expected account before any write. */
export async function resolveCredentials(scope: AwsScope, env: NodeJS.ProcessEnv): Promise<ResolvedCredentials> {
  const { config } = scope;
  const credentials = await lookUp(scope, env);
  const sts = bounded(new STSClient(clientSettings('sts', config, credentials)), 'sts', scope);
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

function assertExpectedAccount(config: Config, identity: CallerIdentity): void {
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
