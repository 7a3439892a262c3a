import { IAMClient } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { bounded } from './bounded.js';
import { clientSettings, type AwsScope } from './clients.js';

/**
 * An IAM client (the GitHub Actions OIDC push role's unit, and doctor reading it back):
 * endpoint from AWS_ENDPOINT_URL_IAM via configuration, every call bounded by
 * DEPLOY_AWS_TIMEOUT_SECONDS and stopped by the scope's signal, like every other client.
 * It lives beside clients.ts, not in it: bounded.ts imports clients.ts.
 */
export function iamClient(scope: AwsScope, credentials: AwsCredentialIdentity): IAMClient {
  return bounded(new IAMClient(clientSettings('iam', scope.config, credentials)), 'iam', scope);
}
