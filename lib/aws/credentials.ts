import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { NodeHttpHandler } from '@smithy/node-http-handler';
import type { Config } from '../config/load.js';
import { ExitCode, httpStatus, TaskError } from '../core/errors.js';
import { bounded, callSignals, isTimeout, untilAborted } from './bounded.js';
import { clientSettings, handlerSettings, type AwsScope } from './clients.js';
import { explainLookup, lookupInterrupted, lookupUnanswered } from './credential-errors.js';
import { explainAwsError, loginCommand } from './explain.js';
import { assertSharedFilesReadable } from './config-files.js';
import { ownCredentialProcess, runCredentialProcess, stopCredentialProcesses } from './credential-process.js';
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
  // Before the SDK reads them: a FIFO there would block the read for good.
  await assertSharedFilesReadable(env);
  const profile = config.profile === undefined ? undefined : await profileInfo(config.profile);
  const ownProcess = config.profile === undefined ? undefined : await ownCredentialProcess(config.profile);
  if (ownProcess !== undefined && config.profile !== undefined) return runCredentialProcess(ownProcess, config.profile, scope, env);
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
    if (scope.signal.aborted || deadline.aborted) await stopCredentialProcesses();
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
  let answer: { Account?: string; Arn?: string };
  try {
    answer = await sts.send(new GetCallerIdentityCommand({}));
  } catch (error) {
    // A success status whose body the SDK could not even parse: the same unreadable answer.
    if (httpStatus(error) === 200) throw unreadableIdentity(config, 'a body that is not STS XML', error);
    throw explainAwsError(error, { config, action: 'confirm credentials with STS GetCallerIdentity' });
  } finally {
    sts.destroy();
  }
  const identity = identityIn(answer, config);
  assertExpectedAccount(config, identity);
  return { credentials, identity, expiration: credentials.expiration };
}

/**
 * The identity in a GetCallerIdentity answer. An HTTP 200 whose body is not STS's (a captive
 * portal, a proxy's page, another service at AWS_ENDPOINT_URL_STS) parses to no fields at all:
 * without a 12-digit account and an ARN it confirms nothing, and the account guard would compare
 * against an empty account.
 */
function identityIn(answer: { Account?: string; Arn?: string }, config: Config): CallerIdentity {
  const { Account: account, Arn: arn } = answer;
  if (account !== undefined && /^[0-9]{12}$/.test(account) && arn !== undefined && arn.startsWith('arn:')) return { account, arn };
  const missing = [
    account === undefined ? 'no Account' : /^[0-9]{12}$/.test(account) ? undefined : 'an Account that is not 12 digits',
    arn === undefined ? 'no Arn' : arn.startsWith('arn:') ? undefined : 'an Arn that is not an ARN',
  ].filter((m) => m !== undefined);
  throw unreadableIdentity(config, missing.join(', '), undefined);
}

function unreadableIdentity(config: Config, what: string, cause: unknown): TaskError {
  const endpoint = config.stsEndpoint ?? "AWS's STS endpoint";
  return new TaskError(
    `STS GetCallerIdentity at ${endpoint} answered with success but its answer is not an identity (${what}): the credentials are not confirmed. Nothing was changed.`,
    {
      code: 'STS_UNREADABLE',
      hint: `Point AWS_ENDPOINT_URL_STS at STS (or unset it to use AWS), or let the proxy in between pass STS's answers through unchanged; then run npm run doctor.`,
      cause,
    },
  );
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
