import { GetRoleCommand, GetRolePolicyCommand, NoSuchEntityException } from '@aws-sdk/client-iam';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { AwsScope } from './clients.js';
import { iamClient } from './iam.js';
import * as v from 'valibot';
import { parseJson } from '../core/outside-data.js';

/** The inline policy name the push-role module gives its one policy. */
const pushPolicyName = 'ecr-public-push';

const names = v.union([v.string(), v.array(v.string())]);
const statement = v.object({
  Effect: v.optional(v.string()),
  Action: v.optional(names),
  Resource: v.optional(names),
  Principal: v.optional(v.union([v.string(), v.object({ Federated: v.optional(names) })])),
  Condition: v.optional(v.record(v.string(), v.record(v.string(), names))),
});
type Statement = v.InferOutput<typeof statement>;
/** `Statement` is one statement or a list of them: made a list before it is checked (an array would otherwise pass as a statement without fields). */
const policyDocument = v.object({
  Statement: v.optional(
    v.pipe(
      v.unknown(),
      v.transform((s) => (Array.isArray(s) ? (s as unknown[]) : [s])),
      v.array(statement),
    ),
    [],
  ),
});

export interface PushRoleView {
  arn: string;
  /** The managed policy that bounds the role; undefined when it has none. */
  boundary: string | undefined;
  trust: Statement[];
  /** undefined when the role has no inline policy of that name. */
  policy: Statement[] | undefined;
}

/** IAM returns policy documents URL-encoded. */
export function policyStatements(document: string | undefined, what: string): Statement[] {
  if (document === undefined) return [];
  const parsed = parseJson(decodeURIComponent(document), policyDocument, {
    what,
    code: 'POLICY_UNREADABLE',
    hint: 'Look at the role in IAM; npm run apply -- --unit <the push role unit> writes the policy the module defines.',
  });
  return parsed.Statement;
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
      policy = policyStatements(inline.PolicyDocument, `The inline policy ${pushPolicyName} of the role ${roleName}`);
    } catch (error) {
      if (!(error instanceof NoSuchEntityException)) throw error;
    }
    return {
      arn: role.Role?.Arn ?? '',
      boundary: role.Role?.PermissionsBoundary?.PermissionsBoundaryArn,
      trust: policyStatements(role.Role?.AssumeRolePolicyDocument, `The trust policy of the role ${roleName}`),
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
