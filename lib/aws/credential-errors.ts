import type { Config } from '../config/load.js';
import { errorMessage, ExitCode, TaskError } from '../core/errors.js';
import { printable } from '../core/printable.js';
import { explainAwsError, loginCommand, untrustedCertificateError } from './explain.js';
import type { ProfileInfo } from './profiles.js';

/** The SDK reads it for the SSO portal's endpoint (the sandbox and tests set it). */
const ssoEndpointSetting = 'AWS_ENDPOINT_URL_SSO';

/** Where a lookup went, in words: the SSO portal of a profile, a profile's source, or the default chain. */
function source(profile: ProfileInfo | undefined, env: NodeJS.ProcessEnv): string {
  if (profile === undefined) return 'the default credential chain (instance or container metadata)';
  if (profile.ssoRegion === undefined) return `the source that profile "${profile.name}" names`;
  const endpoint = env[ssoEndpointSetting];
  const where = endpoint === undefined ? `${ssoEndpointSetting} unset` : `${ssoEndpointSetting}=${endpoint}`;
  return `the AWS SSO portal in ${profile.ssoRegion} (${where}) for profile "${profile.name}"`;
}

/** Ctrl-C or SIGTERM while credentials were being looked up. */
export function lookupInterrupted(profile: ProfileInfo | undefined, env: NodeJS.ProcessEnv): TaskError {
  return new TaskError(`Interrupted while waiting for ${source(profile, env)}; nothing was changed.`, {
    code: 'INTERRUPTED',
    hint: 'Run the task again.',
    exitCode: ExitCode.interrupted,
  });
}

/** The lookup got no answer within DEPLOY_AWS_TIMEOUT_SECONDS. */
export function lookupUnanswered(config: Config, profile: ProfileInfo | undefined, env: NodeJS.ProcessEnv, cause: unknown): TaskError {
  return new TaskError(`No credentials within ${config.awsTimeoutSeconds}s: no answer from ${source(profile, env)}.`, {
    code: 'ENDPOINT_SILENT',
    hint: 'Check network access to it (proxy, VPN, DNS), or raise DEPLOY_AWS_TIMEOUT_SECONDS; then run npm run doctor.',
    cause,
  });
}

const networkFailure = /ECONNREFUSED|ENOTFOUND|EAI_AGAIN|ECONNRESET|EHOSTUNREACH|ENETUNREACH|ETIMEDOUT|socket hang up/i;

/** The portal answered, but not with its JSON (a proxy's or captive portal's page, a wrong start URL's site). */
const unreadableAnswer = /SyntaxError|is not valid JSON|Unexpected token|Unexpected end of JSON|Deserialization error/i;

/** The SSO portal's answer could not be read: logging in again does not help until the right portal answers. */
function portalUnreadable(error: unknown, profile: ProfileInfo, env: NodeJS.ProcessEnv): TaskError {
  const startUrl = profile.ssoStartUrl === undefined ? '' : ` (sso_start_url ${profile.ssoStartUrl})`;
  return new TaskError(`The answer of ${source(profile, env)} could not be read: ${printable(errorMessage(error))}`, {
    code: 'SSO_UNREADABLE',
    hint: `Check the sso_start_url and sso_region of profile "${profile.name}" or its sso-session${startUrl}, and ${ssoEndpointSetting} if set: something other than the AWS SSO portal answered (a proxy or captive portal). Logging in again does not help until the portal answers; then run npm run doctor.`,
    cause: error,
  });
}

/** A failed lookup, said as it is: an unreachable SSO portal is not an expired session. */
export function explainLookup(error: unknown, config: Config, profile: ProfileInfo | undefined, env: NodeJS.ProcessEnv): TaskError {
  const message = errorMessage(error);
  const untrusted = untrustedCertificateError(error, { config, action: `reach ${source(profile, env)}` });
  if (untrusted !== undefined) return untrusted;
  if (profile?.ssoRegion !== undefined && unreadableAnswer.test(message)) return portalUnreadable(error, profile, env);
  if (profile?.ssoRegion !== undefined && networkFailure.test(message))
    return new TaskError(`Cannot reach ${source(profile, env)}: ${message}`, {
      code: 'SSO_UNREACHABLE',
      hint: `Check network access to the SSO portal (proxy, VPN, DNS, ${ssoEndpointSetting}); logging in again does not help until it answers. Then run npm run doctor.`,
      cause: error,
    });
  if (profile?.ssoRegion !== undefined && /expired|refresh|invalid/i.test(message))
    return new TaskError(`The SSO session of profile "${profile.name}" has expired or cannot be refreshed: ${message}`, {
      code: 'CREDENTIALS_EXPIRED',
      hint: `Log in again: ${loginCommand(config)}`,
      cause: error,
    });
  if (/^Command failed: /.test(message)) {
    const name = profile?.name ?? 'default';
    // exec's message carries the command line and everything it printed on stderr: either may hold a secret.
    return new TaskError(`The credential_process of AWS profile "${name}" failed; what it printed is not shown, as it may hold secrets.`, {
      code: 'CREDENTIALS_MISSING',
      hint: `Run it yourself to see why (aws configure get credential_process --profile ${name} shows the command), fix what it needs (a login, a keychain), then run npm run doctor.`,
      cause: error,
    });
  }
  if (profile !== undefined && profile.ssoRegion === undefined && /Could not resolve credentials using profile/i.test(message))
    return new TaskError(`The AWS profile "${profile.name}" defines no credentials (no keys, SSO, role or credential_process).`, {
      code: 'CREDENTIALS_MISSING',
      hint: `Set it up (aws configure sso --profile ${profile.name}, or aws configure --profile ${profile.name}), or pass another --profile.`,
      cause: error,
    });
  return explainAwsError(error, { config, action: 'resolve AWS credentials' });
}
