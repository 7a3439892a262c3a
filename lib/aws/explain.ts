import type { Config } from '../config/load.js';
import { awsErrorName, errorMessage, httpStatus, TaskError } from '../core/errors.js';

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

/** Node's TLS refusals of a certificate it does not trust (a private CA, a TLS-inspecting proxy). */
const untrustedCertificate =
  /self[- ]signed certificate|unable to get local issuer certificate|unable to verify the first certificate|certificate has expired|certificate is not yet valid|SELF_SIGNED_CERT|UNABLE_TO_VERIFY_LEAF_SIGNATURE|CERT_HAS_EXPIRED/i;

// Node appends a tip about its own flag; for these tasks the fix is AWS_CA_BUNDLE, which the SDK, terraform and the provider all read.
const nodeCaTip = /;?\s*if the root CA is installed locally, try running Node\.js with --use-system-ca/i;

/** A certificate Node does not trust, said with the fix that reaches every tool: AWS_CA_BUNDLE. */
export function untrustedCertificateError(error: unknown, context: ExplainContext): TaskError | undefined {
  const message = errorMessage(error);
  if (!untrustedCertificate.test(message)) return undefined;
  const bundle = context.config.caBundle;
  return new TaskError(`Could not ${context.action}: the endpoint's TLS certificate is not trusted (${message.replace(nodeCaTip, '')}).`, {
    code: 'TLS_UNTRUSTED',
    hint:
      bundle === undefined
        ? "A private CA or a TLS-inspecting proxy signs it: set AWS_CA_BUNDLE in .env to that CA's PEM file (ask your network team for it), then run npm run doctor."
        : `The CA in AWS_CA_BUNDLE=${bundle} did not sign it: put the CA that signs this endpoint's certificate in that PEM file (or point AWS_CA_BUNDLE at the right one), then run npm run doctor.`,
    cause: error,
  });
}

/**
 * An answer without an AWS error in it (a 5xx page from a load balancer or proxy): the SDK names
 * it "Unknown: Unknown", which says nothing, so it is said as the HTTP status it was.
 */
function httpFailure(error: unknown, name: string, message: string, context: ExplainContext): TaskError | undefined {
  const status = httpStatus(error);
  const unnamed = name === 'Unknown' || message === 'Unknown';
  if (status === undefined || (status < 500 && !unnamed)) return undefined;
  const detail = unnamed ? 'with no AWS error in its answer' : `${name}: ${message}`;
  return new TaskError(`Could not ${context.action}: the endpoint answered HTTP ${status}, ${detail}.`, {
    code: status >= 500 ? 'AWS_SERVER_ERROR' : 'AWS_ERROR',
    hint:
      status >= 500
        ? 'The service failed on its side: run the task again in a minute. If it keeps failing, check the AWS_ENDPOINT_URL_* settings (a proxy may answer in its place), then run npm run doctor.'
        : 'Check the AWS_ENDPOINT_URL_* settings (something other than AWS may be answering), then run npm run doctor.',
    cause: error,
  });
}

/** Wraps an AWS SDK error in a TaskError that keeps the real AWS error name and message visible. */
export function explainAwsError(error: unknown, context: ExplainContext): TaskError {
  if (error instanceof TaskError) return error;
  const name = awsErrorName(error) ?? 'Error';
  const message = errorMessage(error);
  const plain = untrustedCertificateError(error, context) ?? httpFailure(error, name, message, context);
  if (plain !== undefined) return plain;
  const entry = known.find((k) => k.match(name, message));
  return new TaskError(`Could not ${context.action}: ${name}: ${message}`, {
    code: entry?.code ?? 'AWS_ERROR',
    hint: entry?.hint(context.config) ?? 'Run npm run doctor to see which check fails and how to fix it.',
    cause: error,
  });
}
