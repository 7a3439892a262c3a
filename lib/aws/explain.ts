import type { Config } from '../config/load.js';
import { awsErrorName, errorMessage, TaskError } from '../core/errors.js';

export interface ExplainContext {
  config: Config;
  /** What was being attempted, e.g. "create the state bucket". */
  action: string;
}

/** The command that refreshes the operator's SSO session, for every hint that needs it. */
export function loginCommand(config: Pick<Config, 'profile'>): string {
  return `aws sso login --profile ${config.profile ?? '<profile>'}`;
}

interface Known {
  match: (name: string, message: string) => boolean;
  code: string;
  hint: (config: Config) => string;
}

/** AWS failures operators meet, each with the command that fixes it. Order matters: first match wins. */
const known: readonly Known[] = [
  {
    match: (n, m) => /expired|ExpiredToken|RequestExpired/i.test(`${n} ${m}`) || (/sso/i.test(m) && /invalid|refresh/i.test(m)),
    code: 'CREDENTIALS_EXPIRED',
    hint: (c) => `Refresh the session: ${loginCommand(c)}`,
  },
  {
    match: (n, m) => n === 'CredentialsProviderError' || /could not load credentials/i.test(m),
    code: 'CREDENTIALS_MISSING',
    hint: (c) => `Log in with ${loginCommand(c)} and pass --profile (or set AWS_PROFILE in .env).`,
  },
  {
    match: (n) => n === 'InvalidClientTokenId' || n === 'UnrecognizedClientException' || n === 'SignatureDoesNotMatch',
    code: 'CREDENTIALS_INVALID',
    hint: (c) =>
      `The access key is not valid for this endpoint. Unset stale AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY and run ${loginCommand(c)}.`,
  },
  {
    match: (n) => n === 'AccessDenied' || n === 'AccessDeniedException' || n === 'Forbidden',
    code: 'ACCESS_DENIED',
    hint: () => 'The identity lacks permission for this call; use a role with the permissions listed in platform/infra/README.md.',
  },
  {
    match: (n, m) => /ECONNREFUSED|ENOTFOUND|ETIMEDOUT|EAI_AGAIN|TimeoutError|socket hang up|RequestTimeout/i.test(`${n} ${m}`),
    code: 'ENDPOINT_UNREACHABLE',
    hint: () => 'Check network access to AWS (or that the sandbox is running: npm run sandbox -- --keep), then run npm run doctor.',
  },
];

/** Wraps an AWS SDK error in a TaskError that keeps the real AWS error name and message visible. */
export function explainAwsError(error: unknown, context: ExplainContext): TaskError {
  if (error instanceof TaskError) return error;
  const name = awsErrorName(error) ?? 'Error';
  const message = errorMessage(error);
  const entry = known.find((k) => k.match(name, message));
  return new TaskError(`Could not ${context.action}: ${name}: ${message}`, {
    code: entry?.code ?? 'AWS_ERROR',
    hint: entry?.hint(context.config) ?? 'Run npm run doctor to see which check fails and how to fix it.',
    cause: error,
  });
}
