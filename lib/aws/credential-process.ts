import { parseKnownFiles } from '@smithy/core/config';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { kill, ps } from 'zx/core';
import type { Config } from '../config/load.js';
import { TaskError } from '../core/errors.js';
import { runProcess } from '../core/process.js';
import { withoutZxPsWarning } from '../core/zx-ps.js';
import { lookupInterrupted, lookupUnanswered } from './credential-errors.js';

type Sections = Record<string, Record<string, string | undefined> | undefined>;

/** Settings by which the SDK prefers another source over a profile's credential_process. */
const before = ['role_arn', 'aws_access_key_id', 'web_identity_token_file', 'sso_session', 'sso_start_url'];

/** The profile's credential_process, when the SDK would use it first; undefined otherwise. */
export async function ownCredentialProcess(profile: string): Promise<string | undefined> {
  const section = ((await parseKnownFiles({})) as Sections)[profile];
  if (section?.credential_process === undefined || before.some((key) => section[key] !== undefined)) return undefined;
  return section.credential_process;
}

/**
 * Runs a profile's credential_process through the process runner instead of the SDK's exec:
 * in a process group of its own, bounded by DEPLOY_AWS_TIMEOUT_SECONDS and stopped by the
 * task's signal, so one that never answers neither hangs the task nor outlives it. What it
 * prints on stderr is not shown: such helpers print tokens and keys.
 */
export async function runCredentialProcess(
  command: string,
  profile: string,
  scope: { config: Config; signal: AbortSignal },
  env: NodeJS.ProcessEnv,
): Promise<AwsCredentialIdentity> {
  const info = { name: profile, ssoRegion: undefined };
  // A command line, as the SDK (and the AWS CLI) run it: through the shell.
  const result = await runProcess('sh', ['-c', command], {
    cwd: process.cwd(),
    env,
    signal: scope.signal,
    timeoutMs: scope.config.awsTimeoutSeconds * 1000,
  });
  if (result.interrupted) throw lookupInterrupted(info, env);
  if (result.timedOut) throw lookupUnanswered(scope.config, info, env, undefined);
  if (result.spawnError !== undefined) throw failed(profile, result.spawnError);
  if (result.exitCode !== 0) throw failed(profile, `exit ${String(result.exitCode ?? result.signal)}`);
  return credentialsIn(result.stdout, profile);
}

function failed(profile: string, why: string): TaskError {
  return new TaskError(
    `The credential_process of AWS profile "${profile}" failed (${why}); what it printed is not shown, as it may hold secrets.`,
    {
      code: 'CREDENTIALS_MISSING',
      hint: `Run it yourself to see why (aws configure get credential_process --profile ${profile} shows the command), fix what it needs (a login, a keychain), then run npm run doctor.`,
    },
  );
}

/** The AWS CLI's credential_process format, Version 1. */
function credentialsIn(stdout: string, profile: string): AwsCredentialIdentity {
  let data: Record<string, unknown>;
  try {
    data = JSON.parse(stdout) as Record<string, unknown>;
  } catch {
    throw failed(profile, 'its output is not JSON');
  }
  const text = (key: string): string | undefined => (typeof data[key] === 'string' && data[key] !== '' ? data[key] : undefined);
  const [accessKeyId, secretAccessKey, sessionToken, expires] = ['AccessKeyId', 'SecretAccessKey', 'SessionToken', 'Expiration'].map(text);
  const expiration = expires === undefined ? undefined : new Date(expires);
  if (
    data.Version !== 1 ||
    accessKeyId === undefined ||
    secretAccessKey === undefined ||
    (expiration && Number.isNaN(expiration.getTime()))
  )
    throw failed(profile, 'its output is not Version 1 credentials with AccessKeyId and SecretAccessKey');
  return { accessKeyId, secretAccessKey, ...(sessionToken ? { sessionToken } : {}), ...(expiration ? { expiration } : {}) };
}

/** The programs the profiles' credential_process lines start (their first word). */
async function credentialPrograms(): Promise<string[]> {
  const sections = (await parseKnownFiles({})) as Sections;
  return Object.values(sections).flatMap((section) => {
    const program = section?.credential_process
      ?.trim()
      .split(/\s+/)[0]
      ?.replace(/^["']|["']$/g, '');
    return program === undefined || program === '' ? [] : [program];
  });
}

/**
 * Ends the credential_process children the SDK left running, where it runs one itself (a
 * profile that assumes a role from a source profile with a credential_process). The SDK starts
 * it with child_process.exec and offers no way to stop it: after our bound or a signal gave up
 * on the lookup, one that never answers would keep this process alive. Our own children (zx's
 * ps) whose command line names a profile's program are killed with their trees (zx's kill).
 */
export async function stopCredentialProcesses(): Promise<void> {
  const programs = await credentialPrograms();
  if (programs.length === 0) return;
  const children = await withoutZxPsWarning(() => ps.lookup({ ppid: process.pid }));
  const leftovers = children.filter((p) => {
    const line = [p.command, ...p.arguments].join(' ');
    return programs.some((program) => line.includes(program));
  });
  await Promise.all(leftovers.map((p) => withoutZxPsWarning(() => kill(Number(p.pid), 'SIGKILL'))));
}
