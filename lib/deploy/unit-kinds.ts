import { pushResources, readPushRole, trustedSubjects } from '../aws/push-role.js';
import { readIamArns } from '../aws/roles.js';
import type { Config } from '../config/load.js';
import { TaskError } from '../core/errors.js';
import { unitModule } from '../infra/unit-files.js';
import { galleryLink, type DeployOutputs } from './outputs.js';
import type { DeployContext } from './prepare.js';
import { deployStateFrom, flat, readUnitOutputs, verifyDeployment, type TerraformOutputs } from './verify.js';
import type { TaskContext } from '../core/context.js';

/** What a unit is, by the module it runs: its values for people and downstream steps, and how AWS confirms them. */
interface UnitKind {
  /** The values `output` prints; a missing one means the unit has not been applied. */
  values(outputs: TerraformOutputs, unit: string): Record<string, string>;
  /** Reads what the unit made back from AWS; a TaskError when AWS differs from what terraform reports. */
  verify(dc: DeployContext, outputs: TerraformOutputs, values: Record<string, string>): Promise<void>;
  /** The line after the values in text output (the repository's gallery page), if any. */
  footer?(config: Config, values: Record<string, string>): string;
  /** What apply says above the values, when not "Applied and verified <unit>". */
  applied?: string;
}

function text(outputs: TerraformOutputs, name: string, unit: string): string {
  const value = outputs[name]?.value;
  if (typeof value === 'string' && value !== '') return value;
  throw new TaskError(`Terraform output ${name} is missing: ${unit} has not been applied yet.`, {
    code: 'OUTPUT_MISSING',
    hint: `Run npm run plan -- --unit ${unit}, then npm run apply -- --unit ${unit}.`,
  });
}

function drift(what: string, unit: string): TaskError {
  return new TaskError(what, {
    code: 'UNIT_DRIFT',
    hint: `Someone changed it outside Terraform: run npm run plan -- --unit ${unit} to see the drift, then npm run apply -- --unit ${unit}.`,
  });
}

const repository: UnitKind = {
  values: (outputs) => deployStateFrom(outputs).values,
  verify: (dc, outputs) => verifyDeployment(dc, deployStateFrom(outputs)),
  footer: (config, values) => `Gallery: ${galleryLink(config.galleryUrl, values as DeployOutputs)}\n`,
  applied: 'Deployed and verified',
};

const pushRole: UnitKind = {
  values: (o, unit) => ({ ROLE_ARN: text(o, 'role_arn', unit), ROLE_NAME: text(o, 'role_name', unit) }),
  verify: async (dc, outputs, values) => {
    const unit = dc.config.unit;
    const role = await readPushRole({ config: dc.config, signal: dc.signal }, dc.credentials, values.ROLE_NAME ?? '');
    if (role === undefined || role.arn !== values.ROLE_ARN)
      throw drift(`Terraform reports the role ${values.ROLE_ARN ?? ''}, but IAM has ${role?.arn ?? 'no such role'}.`, unit);
    const subject = outputs.trust_subject?.value;
    const trusted = trustedSubjects(role.trust);
    if (typeof subject === 'string' && (trusted.length !== 1 || trusted[0] !== subject))
      throw drift(`${role.arn} trusts ${trusted.join(', ') || 'no GitHub subject'}, not ${subject} as Terraform reports.`, unit);
    if (role.policy === undefined || pushResources(role.policy).length === 0)
      throw drift(`${role.arn} has no push policy (ecr-public-push) in IAM.`, unit);
  },
};

const ciRoles: UnitKind = {
  values: (o, unit) => ({
    PLAN_ROLE_ARN: text(o, 'plan_role_arn', unit),
    APPLY_ROLE_ARN: text(o, 'apply_role_arn', unit),
    PUSH_BOUNDARY_ARN: text(o, 'push_boundary_arn', unit),
    OIDC_PROVIDER_ARN: text(o, 'oidc_provider_arn', unit),
  }),
  verify: async (dc, _outputs, values) => {
    // arn:aws:iam::<account>:role/<path/>name: GetRole takes the name alone.
    const roleName = (arn: string | undefined): string => (arn ?? '').slice((arn ?? '').lastIndexOf('/') + 1);
    const roles = [values.PLAN_ROLE_ARN, values.APPLY_ROLE_ARN];
    const boundary = values.PUSH_BOUNDARY_ARN ?? '';
    const found = await readIamArns({ config: dc.config, signal: dc.signal }, dc.credentials, {
      roles: roles.map(roleName),
      policies: [boundary],
    });
    for (const arn of roles)
      if (found.get(roleName(arn)) !== arn)
        throw drift(`Terraform reports the role ${arn ?? ''}, but IAM has ${found.get(roleName(arn)) ?? 'no such role'}.`, dc.config.unit);
    if (found.get(boundary) !== boundary)
      throw drift(`Terraform reports the policy ${boundary}, but IAM has no such policy.`, dc.config.unit);
  },
};

/** Every module the project's units run, by name (platform/infra/terraform-modules). */
const kinds: Readonly<Record<string, UnitKind>> = {
  'ecr-public-repository': repository,
  'github-actions-ecr-push': pushRole,
  'github-actions-ci-roles': ciRoles,
};

/**
 * A unit of a module this table does not know (one an operator added): its outputs as terraform
 * reports them, and nothing read back, which readVerifiedUnit says rather than implying a check.
 */
const unknown: Pick<UnitKind, 'values'> = { values: (outputs) => flat(outputs) };

/** A unit's values, confirmed against AWS, with what apply says above them and the text after them. */
export interface VerifiedUnit {
  values: Record<string, string>;
  heading: string;
  footer: string;
}

/**
 * Reads the unit's outputs and confirms them against AWS the way its module calls for (the
 * table above): single-unit apply and output alike, whichever unit --unit names.
 */
export async function readVerifiedUnit(dc: DeployContext, ctx: TaskContext): Promise<VerifiedUnit> {
  const unit = dc.config.unit;
  const module = await unitModule(dc.unitDir);
  const kind = module === undefined ? undefined : kinds[module];
  const outputs = await readUnitOutputs(dc, ctx);
  if (kind === undefined) {
    ctx.log.info(
      `${unit} runs ${module ?? 'a module from outside the project'}, which the tasks do not read back from AWS: its outputs are as terraform reports them.`,
    );
    return { values: unknown.values(outputs, unit), heading: `Applied ${unit}`, footer: '' };
  }
  const values = kind.values(outputs, unit);
  await kind.verify(dc, outputs, values);
  return { values, heading: kind.applied ?? `Applied and verified ${unit}`, footer: kind.footer?.(dc.config, values) ?? '' };
}
