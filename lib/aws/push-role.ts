import { GetRoleCommand, GetRolePolicyCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { AwsScope } from './clients.js';
import { iamClient } from './iam.js';

/** The inline policy name the push-role module gives its one policy. */
const pushPolicyName = 'ecr-public-push';

interface Statement {
  Effect?: string;
  Action?: string | string[];
  Resource?: string | string[];
  Principal?: { Federated?: string | string[] };
  Condition?: Record<string, Record<string, string | string[]>>;
}

export interface PushRoleView {
  arn: string;
  /** The managed policy that bounds the role; undefined when it has none. */
  boundary: string | undefined;
  trust: Statement[];
  /** undefined when the role has no inline policy of that name. */
  policy: Statement[] | undefined;
}

/** IAM returns policy documents URL-encoded. */
function statements(document: string | undefined): Statement[] {
  if (document === undefined) return [];
  const parsed = JSON.parse(decodeURIComponent(document)) as { Statement?: Statement | Statement[] };
  const list = parsed.Statement ?? [];
  return Array.isArray(list) ? list : [list];
}

/** The role, its trust and its push policy as IAM has them; undefined when the role does not exist. */
export async function readPushRole(
  scope: AwsScope,
  credentials: AwsCredentialIdentity,
  roleName: string,
): Promise<PushRoleView | undefined> {
  const iam = iamClient(scope, credentials);
  try {
    const role = await iam.send(new GetRoleCommand({ RoleName: roleName }));
    let policy: Statement[] | undefined;
    try {
      const inline = await iam.send(new GetRolePolicyCommand({ RoleName: roleName, PolicyName: pushPolicyName }));
      policy = statements(inline.PolicyDocument);
    } catch (error) {
      if (!(error instanceof NoSuchEntityException)) throw error;
    }
    return {
      arn: role.Role?.Arn ?? '',
      boundary: role.Role?.PermissionsBoundary?.PermissionsBoundaryArn,
      trust: statements(role.Role?.AssumeRolePolicyDocument),
      policy,
    };
  } catch (error) {
    if (error instanceof NoSuchEntityException) return undefined;
    throw error;
  } finally {
    iam.destroy();
  }
}

const asList = (v: string | string[] | undefined): string[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

/** The subjects the trust lets assume the role (token.actions.githubusercontent.com:sub, StringEquals). */
export function trustedSubjects(trust: Statement[]): string[] {
  return trust
    .filter((s) => s.Effect === 'Allow' && asList(s.Action).includes('sts:AssumeRoleWithWebIdentity'))
    .flatMap((s) => asList(s.Condition?.StringEquals?.['token.actions.githubusercontent.com:sub']));
}

/** The resources the push policy lets PutImage reach. */
export function pushResources(policy: Statement[]): string[] {
  return policy.filter((s) => s.Effect === 'Allow' && asList(s.Action).includes('ecr-public:PutImage')).flatMap((s) => asList(s.Resource));
}
