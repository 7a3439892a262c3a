import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';
import { sandboxCredentials, type SandboxCredentials } from './credentials.js';
import { startEcrPublicServer, type EcrPublicServer } from './ecr-public/server.js';
import { startMoto, type MotoServer } from './moto.js';

export interface SandboxOptions {
  motoServerBin: string;
  /** Bound on moto's start-up, from configuration (SANDBOX_START_TIMEOUT_SECONDS). */
  startTimeoutMs: number;
  registryAlias: string;
  /** The environment moto inherits (PATH etc.); AWS variables are removed. */
  baseEnv: NodeJS.ProcessEnv;
}

export interface Sandbox {
  accountId: string;
  registryAlias: string;
  credentials: SandboxCredentials;
  moto: MotoServer;
  /** Counts every S3/STS request on its way to moto. */
  awsProxy: CountingProxy;
  ecrPublic: EcrPublicServer;
  /** What the tasks need to run against the sandbox instead of AWS. */
  env: Record<string, string>;
  stop(): Promise<void>;
}

const host = '127.0.0.1';

function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('AWS_')));
}

async function accountOf(stsUrl: string, credentials: SandboxCredentials): Promise<string> {
  const sts = new STSClient({ region: 'us-east-1', endpoint: stsUrl, credentials });
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Account ?? '';
  } finally {
    sts.destroy();
  }
}

/** Starts moto (S3, STS) behind a counting proxy and the project's ECR Public server, on free loopback ports. */
export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const credentials = sandboxCredentials();
  const moto = await startMoto({
    bin: options.motoServerBin,
    host,
    startTimeoutMs: options.startTimeoutMs,
    env: withoutAws(options.baseEnv),
  });
  // Whatever started before a failing step is stopped again: no moto left running.
  let awsProxy: CountingProxy | undefined;
  let ecrPublic: EcrPublicServer;
  let accountId: string;
  try {
    awsProxy = await startCountingProxy(moto.url, host);
    accountId = await accountOf(awsProxy.url, credentials);
    awsProxy.registerAccount(credentials.accessKeyId, accountId);
    ecrPublic = await startEcrPublicServer({ host, port: 0, accountId, registryAlias: options.registryAlias, region: 'us-east-1' });
  } catch (error) {
    await awsProxy?.close();
    await moto.stop();
    throw error;
  }
  const proxy = awsProxy;
  const env: Record<string, string> = {
    // Empty wins over a profile in .env (empty counts as unset): the sandbox keys are used, never SSO.
    AWS_PROFILE: '',
    AWS_ACCESS_KEY_ID: credentials.accessKeyId,
    AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    AWS_SESSION_TOKEN: credentials.sessionToken,
    AWS_ENDPOINT_URL_S3: proxy.url,
    AWS_ENDPOINT_URL_STS: proxy.url,
    AWS_ENDPOINT_URL_ECR_PUBLIC: ecrPublic.url,
    DEPLOY_S3_PATH_STYLE: 'true',
    DEPLOY_EXPECTED_ACCOUNT_ID: accountId,
    DEPLOY_PUBLIC_TOKEN_URL: `${ecrPublic.url}/token/`,
  };
  const stop = async (): Promise<void> => {
    await Promise.all([ecrPublic.close(), proxy.close()]);
    await moto.stop();
  };
  return { accountId, registryAlias: options.registryAlias, credentials, moto, awsProxy: proxy, ecrPublic, env, stop };
}
