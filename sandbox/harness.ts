import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GetCallerIdentityCommand, GetSessionTokenCommand, STSClient } from '@aws-sdk/client-sts';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { sandboxCredentials, type SandboxCredentials } from './credentials.js';
import { startEcrPublicServer, type EcrPublicServer } from './ecr-public/server.js';
import { Faults, type FaultSpec } from './faults.js';
import { startMoto, type MotoServer } from './moto.js';
import { sandboxCertificate } from './tls.js';

export interface SandboxOptions {
  motoServerBin: string;
  /** Bound on moto's start-up, from configuration (SANDBOX_START_TIMEOUT_SECONDS). */
  startTimeoutMs: number;
  registryAlias: string;
  /** The environment moto inherits (PATH etc.); AWS variables are removed. */
  baseEnv: NodeJS.ProcessEnv;
  /** Faults active from the start; with `expire`, `env` holds a session from the sandbox's STS that ends after that many requests. */
  faults?: FaultSpec;
}

export interface Sandbox {
  accountId: string;
  registryAlias: string;
  credentials: SandboxCredentials;
  moto: MotoServer;
  /** Counts every S3/STS/IAM request on its way to moto (TLS in front, like AWS). */
  awsProxy: CountingProxy;
  ecrPublic: EcrPublicServer;
  /** The TLS front of the ECR Public server. */
  ecrProxy: CountingProxy;
  /** The sandbox's certificate (PEM), which AWS_CA_BUNDLE names. */
  caCert: string;
  /** SDK client options for a test that talks to a sandbox endpoint directly. */
  clientOptions(endpoint: string): SandboxClientOptions;
  /** What the tasks need to run against the sandbox instead of AWS. */
  env: Record<string, string>;
  /** The injected faults, switchable at any time (tests turn them on and off per test). */
  faults: Faults;
  /**
   * Turns moto's IAM enforcement on or off (moto's INITIAL_NO_AUTH_ACTION_COUNT, set through
   * its /moto-api/reset-auth). On, moto authenticates every S3, STS and IAM request and allows
   * only what the caller's IAM policies allow (actions and resources; see moto_server.py), so
   * only credentials of a role assumed in the sandbox work; the sandbox's own keys are refused.
   */
  enforceIam(on: boolean): Promise<void>;
  /**
   * A session from the sandbox's STS (GetSessionToken, 15 minutes): the variables that
   * point the tasks at it, its expiration included. It ends at that expiration, or sooner
   * under the expire fault or `faults.expireSessions()`.
   */
  shortLivedSession(): Promise<Record<string, string>>;
  stop(): Promise<void>;
}

interface SandboxClientOptions {
  region: string;
  endpoint: string;
  credentials: SandboxCredentials;
  forcePathStyle: boolean;
  requestHandler: { httpsAgent: { ca: string } };
}

const host = '127.0.0.1';

function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('AWS_')));
}

function clientOptions(endpoint: string, credentials: SandboxCredentials, ca: string): SandboxClientOptions {
  return { region: 'us-east-1', endpoint, credentials, forcePathStyle: true, requestHandler: { httpsAgent: { ca } } };
}

async function accountOf(stsUrl: string, credentials: SandboxCredentials, ca: string): Promise<string> {
  const sts = new STSClient(clientOptions(stsUrl, credentials, ca));
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  } finally {
    sts.destroy();
  }
}

/** STS's shortest session (900 s), as an operator's SSO role session is short. */
async function sessionFrom(stsUrl: string, credentials: SandboxCredentials, ca: string): Promise<Record<string, string>> {
  const sts = new STSClient(clientOptions(stsUrl, credentials, ca));
  try {
    const session = (await sts.send(new GetSessionTokenCommand({ DurationSeconds: 900 }))).Credentials;
    if (!session?.AccessKeyId || !session.SecretAccessKey || !session.SessionToken || !session.Expiration)
      throw new Error('the sandbox STS answered GetSessionToken without credentials');
    return {
      AWS_ACCESS_KEY_ID: session.AccessKeyId,
      AWS_SECRET_ACCESS_KEY: session.SecretAccessKey,
      AWS_SESSION_TOKEN: session.SessionToken,
      AWS_CREDENTIAL_EXPIRATION: session.Expiration.toISOString(),
    };
  } finally {
    sts.destroy();
  }
}

/** Starts moto (S3, STS, IAM) behind a counting proxy and the project's ECR Public server, on free loopback ports. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const credentials = sandboxCredentials();
  const dir = await mkdtemp(join(tmpdir(), 'sandbox-'));
  const tls = await sandboxCertificate(dir, host);
  const moto = await startMoto({
    bin: options.motoServerBin,
    host,
    startTimeoutMs: options.startTimeoutMs,
    env: withoutAws(options.baseEnv),
  });
  const faults = new Faults();
  // Whatever started before a failing step is stopped again: no moto left running.
  let awsProxy: CountingProxy | undefined;
  let ecrPublic: EcrPublicServer | undefined;
  let ecrProxy: CountingProxy;
  let accountId: string;
  let session: Record<string, string> = {};
  const shortLivedSession = async (): Promise<Record<string, string>> => {
    if (awsProxy === undefined) throw new Error('bug: the sandbox STS is not up yet');
    const issued = await sessionFrom(awsProxy.url, credentials, tls.cert);
    const key = issued.AWS_ACCESS_KEY_ID ?? '';
    awsProxy.registerAccount(key, accountId);
    faults.addSession(key, new Date(issued.AWS_CREDENTIAL_EXPIRATION ?? 0));
    return issued;
  };
  try {
    awsProxy = await startCountingProxy(moto.url, host, tls, faults.awsHooks());
    accountId = await accountOf(awsProxy.url, credentials, tls.cert);
    awsProxy.registerAccount(credentials.accessKeyId, accountId);
    ecrPublic = await startEcrPublicServer({ host, port: 0, accountId, registryAlias: options.registryAlias, region: 'us-east-1' });
    ecrProxy = await startCountingProxy(ecrPublic.url, host, tls, faults.ecrPublicHooks(accountId));
    if (options.faults?.expire !== undefined) session = await shortLivedSession();
  } catch (error) {
    await Promise.all([awsProxy?.close(), ecrPublic?.close()]);
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const [proxy, ecr] = [awsProxy, ecrPublic];
  // The sandbox's own start-up calls are never faulted; the faults (the session's budget too) apply from here on.
  faults.set(options.faults ?? {});
  const env: Record<string, string> = {
    // Empty clears a profile of the environment the runs inherit (empty counts as unset): the
    // sandbox keys are used, never SSO. It does not clear one from an env file, whose value an
    // empty variable never removes: a kept sandbox's shell names no account's file (workspace.ts).
    AWS_PROFILE: '',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_CA_BUNDLE: tls.certFile,
    AWS_ENDPOINT_URL_S3: proxy.url,
    AWS_ENDPOINT_URL_STS: proxy.url,
    // IAM shares moto and its proxy with STS: both post to "/", told apart by the signature's scope.
    AWS_ENDPOINT_URL_IAM: proxy.url,
    AWS_ENDPOINT_URL_ECR_PUBLIC: ecrProxy.url,
    DEPLOY_S3_PATH_STYLE: 'true',
    DEPLOY_EXPECTED_ACCOUNT_ID: accountId,
    DEPLOY_PUBLIC_TOKEN_URL: `${ecrProxy.url}/token/`,
    // No registry here: a rehearsal asks, explicitly, for the source-built provider in the tools cache.
    TOOLS_PROVIDER_MIRROR: 'true',
    ...session,
  };
  const stop = async (): Promise<void> => {
    await Promise.all([ecr.close(), proxy.close(), ecrProxy.close()]);
    await moto.stop();
    await rm(dir, { recursive: true, force: true });
  };
  const enforceIam = async (on: boolean): Promise<void> => {
    // The count of requests moto lets through before it authenticates: 0 from now on, or never.
    const answer = await fetch(`${moto.url}/moto-api/reset-auth`, {
      method: 'POST',
      body: on ? '0' : 'inf',
      signal: AbortSignal.timeout(options.startTimeoutMs),
    });
    if (!answer.ok) throw new Error(`moto refused to switch IAM enforcement ${on ? 'on' : 'off'}: HTTP ${answer.status}`);
  };
  return {
    accountId,
    registryAlias: options.registryAlias,
    credentials,
    moto,
    awsProxy: proxy,
    ecrPublic: ecr,
    ecrProxy,
    caCert: tls.cert,
    clientOptions: (endpoint) => clientOptions(endpoint, credentials, tls.cert),
    env,
    faults,
    enforceIam,
    shortLivedSession,
    stop,
  };
}
