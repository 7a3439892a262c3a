import type { AwsCredentialIdentity } from '@aws-sdk/types';

/**
 * Variables that would make Terraform resolve credentials on its own. Its S3 backend
 * does not resolve SSO profiles reliably, so the child gets explicit keys instead.
 */
const credentialVariables = [
  'AWS_PROFILE',
  'AWS_DEFAULT_PROFILE',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_SECURITY_TOKEN',
  'AWS_WEB_IDENTITY_TOKEN_FILE',
  'AWS_ROLE_ARN',
  'AWS_CONTAINER_CREDENTIALS_FULL_URI',
  'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI',
];

/** Whether `name` carries (or points at) credentials: never part of a saved plan's fingerprint, never printed. */
export function isCredentialVariable(name: string): boolean {
  return credentialVariables.includes(name) || name === 'AWS_CREDENTIAL_EXPIRATION';
}

/** The environment for terragrunt/terraform: the parent's, minus profile hints, plus explicit credentials. */
export function childEnvironment(
  base: NodeJS.ProcessEnv,
  credentials: AwsCredentialIdentity,
  extra: Readonly<Record<string, string>>,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  for (const name of credentialVariables) delete env[name];
  env.AWS_ACCESS_KEY_ID = credentials.accessKeyId;
  env.AWS_SECRET_ACCESS_KEY = credentials.secretAccessKey;
  if (credentials.sessionToken) env.AWS_SESSION_TOKEN = credentials.sessionToken;
  return { ...env, ...extra };
}

/** The values that must never reach a log line. */
export function secretsOf(credentials: AwsCredentialIdentity): string[] {
  return [credentials.secretAccessKey, credentials.sessionToken ?? ''].filter((s) => s.length >= 8);
}
