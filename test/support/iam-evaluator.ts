import { createValidatedPolicy, validateTrustPolicy } from '@cloud-copilot/iam-policy';
import { runSimulation, runUnsafeSimulation } from '@cloud-copilot/iam-simulate';

/** What IAM decides for one request. */
export type Decision = 'Allowed' | 'ExplicitlyDenied' | 'ImplicitlyDenied';

/** An IAM policy document as the units render it. */
export interface PolicyDocument {
  Version: string;
  Statement: Array<Record<string, unknown>>;
}

/** Who makes the request: a role's session, with its inline policies and its permissions boundary. */
export interface Caller {
  /** The session's ARN (arn:aws:sts::<account>:assumed-role/<role>/<session>). */
  arn: string;
  policies: PolicyDocument[];
  boundary?: PolicyDocument;
}

/** One API call as IAM authorizes it: the action, the resource's ARN, and the request context AWS adds. */
export interface Call {
  action: string;
  resource: string;
  context?: Record<string, string | string[]>;
  /** The resource's own policy, where the service always reads one (a KMS key's key policy). */
  resourcePolicy?: PolicyDocument;
}

/**
 * The decision of @cloud-copilot/iam-simulate, a real IAM policy evaluator, for a call by a
 * role session of `account`. It validates its input against AWS's service authorization data
 * (actions, the resource types of each action, the context keys each accepts): a context key
 * the action does not have would be dropped from the request, so one is an error here, not a
 * silent mismatch.
 */
export async function decide(caller: Caller, call: Call, account: string): Promise<Decision> {
  const response = await runSimulation(
    {
      request: {
        principal: caller.arn,
        action: call.action,
        resource: { resource: call.resource, accountId: account },
        contextVariables: call.context ?? {},
      },
      identityPolicies: caller.policies.map((policy, i) => ({ name: `inline-${i}`, policy })),
      permissionBoundaryPolicies: caller.boundary ? [{ name: 'boundary', policy: caller.boundary }] : undefined,
      resourcePolicy: call.resourcePolicy,
      serviceControlPolicies: [],
      resourceControlPolicies: [],
    },
    {},
  );
  if (response.resultType === 'error')
    throw new Error(`the evaluator refused ${call.action} on ${call.resource}: ${response.errors.message}`);
  if (response.resultType !== 'single') throw new Error(`${call.resource} is a pattern: give ${call.action} one resource`);
  const ignored = response.result.ignoredContextKeys ?? [];
  if (ignored.length > 0) throw new Error(`${call.action} has no context key ${ignored.join(', ')}: the row would test nothing`);
  return response.overallResult;
}

/**
 * Whether a role's trust policy lets a GitHub Actions token with these claims assume it
 * (sts:AssumeRoleWithWebIdentity through the account's OIDC provider). The evaluator's
 * authorization data lists the GitHub claims STS added in 2026 (job_workflow_ref, ...) for the
 * action but not the provider's aud and sub keys, which the IAM User Guide documents apart:
 * so this runs the same evaluation engine without that input check, after checking the trust
 * policy's own grammar (iam-policy's trust policy validation).
 */
export function trustDecision(trust: PolicyDocument, role: string, provider: string, claims: Record<string, string>): Decision {
  const policy = createValidatedPolicy(trust, validateTrustPolicy, { name: 'trust' });
  if (policy.errors.length > 0) throw new Error(`not a valid trust policy: ${JSON.stringify(policy.errors)}`);
  const account = role.split(':')[4] ?? '';
  const context = Object.fromEntries(Object.entries(claims).map(([k, v]) => [`token.actions.githubusercontent.com:${k}`, v]));
  return runUnsafeSimulation(
    {
      request: {
        principal: provider,
        action: 'sts:AssumeRoleWithWebIdentity',
        resource: { resource: role, accountId: account },
        contextVariables: context,
      },
      identityPolicies: [],
      serviceControlPolicies: [],
      resourceControlPolicies: [],
      resourcePolicy: policy,
    },
    {},
  );
}
