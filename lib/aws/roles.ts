import { GetPolicyCommand, GetRoleCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { AwsScope } from './clients.js';
import { iamClient } from './iam.js';

/**
 * The ARN IAM reports for each role and managed policy named, undefined for one that does not
 * exist: what a unit's outputs claim, read back (the CI roles' unit after apply and output).
 */
export async function readIamArns(
  scope: AwsScope,
  credentials: AwsCredentialIdentity,
  names: { roles: readonly string[]; policies: readonly string[] },
): Promise<Map<string, string | undefined>> {
  const iam = iamClient(scope, credentials);
  const found = new Map<string, string | undefined>();
  const absentAsUndefined = (error: unknown): undefined => {
    if (error instanceof NoSuchEntityException) return undefined;
    throw error;
  };
  try {
    for (const name of names.roles)
      found.set(name, await iam.send(new GetRoleCommand({ RoleName: name })).then((r) => r.Role?.Arn, absentAsUndefined));
    for (const arn of names.policies)
      found.set(arn, await iam.send(new GetPolicyCommand({ PolicyArn: arn })).then((r) => r.Policy?.Arn, absentAsUndefined));
    return found;
  } finally {
    iam.destroy();
  }
}
