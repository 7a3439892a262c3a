import { catalogDifferences, readRepository, type CatalogData } from '../aws/ecr-public.js';
import type { TaskContext } from '../core/context.js';
import type { DeployContext } from './prepare.js';
import { TaskError } from '../core/errors.js';
import type { DeployOutputs } from './outputs.js';
import { invokeTerragrunt } from '../terragrunt/invoke.js';
import * as v from 'valibot';
import { parseJson } from '../core/outside-data.js';

export interface DeployState {
  values: DeployOutputs;
  /** The catalog data the configuration asks for, as the module reports it. */
  catalog: CatalogData;
}

/** `terraform output -json`: each output's value (its type and sensitivity are not used here). */
const terraformOutputs = v.record(v.string(), v.object({ value: v.unknown() }));
export type TerraformOutputs = Partial<v.InferOutput<typeof terraformOutputs>>;

function text(outputs: TerraformOutputs, name: string): string {
  const value = outputs[name]?.value;
  if (typeof value === 'string' && value !== '') return value;
  throw new TaskError(`Terraform output ${name} is missing: the repository has not been applied in this unit yet.`, {
    code: 'OUTPUT_MISSING',
    hint: 'Run npm run plan, then npm run apply.',
  });
}

function catalogFrom(outputs: TerraformOutputs): CatalogData {
  const raw = (outputs.catalog_data?.value ?? {}) as { description?: string; architectures?: string[]; operating_systems?: string[] };
  return { description: raw.description ?? '', architectures: raw.architectures ?? [], operatingSystems: raw.operating_systems ?? [] };
}

/** A unit's outputs as text: strings as they are, anything else as JSON. */
export function flat(outputs: TerraformOutputs): Record<string, string> {
  return Object.fromEntries(
    Object.entries(outputs).map(([name, o]) => [name, typeof o?.value === 'string' ? o.value : JSON.stringify(o?.value ?? null)]),
  );
}

export function deployStateFrom(outputs: TerraformOutputs): DeployState {
  return {
    values: {
      ALIAS: text(outputs, 'registry_alias'),
      ACCOUNT_ID: text(outputs, 'registry_id'),
      REPOSITORY_NAME: text(outputs, 'repository_name'),
      REPOSITORY_ARN: text(outputs, 'repository_arn'),
      REPOSITORY_URI: text(outputs, 'repository_uri'),
    },
    catalog: catalogFrom(outputs),
  };
}

/** `terragrunt output -json` of one unit, as terraform prints it. */
export async function readUnitOutputs(dc: DeployContext, ctx: TaskContext): Promise<TerraformOutputs> {
  const result = await invokeTerragrunt(dc, ctx, { kind: 'output' }, { captureStdout: true });
  return parseJson(result.stdout, terraformOutputs, {
    what: `What terragrunt output -json printed in ${dc.unitDir}`,
    code: 'OUTPUT_UNREADABLE',
    hint: 'Run npm run init, then npm run output -- --verbose to see the command.',
  });
}

/** Reads the repository back through the ECR Public API: what Terraform reports must be what AWS serves. */
export async function verifyDeployment(dc: DeployContext, state: DeployState): Promise<void> {
  const config = { ...dc.config, repositoryName: state.values.REPOSITORY_NAME };
  const live = await readRepository({ config, signal: dc.signal }, dc.credentials);
  if (!live) {
    throw new TaskError(`Terraform reports ${state.values.REPOSITORY_NAME}, but ECR Public has no such repository.`, {
      code: 'REPOSITORY_DRIFT',
      hint: 'Someone deleted it outside Terraform: run npm run plan to see the drift, then npm run apply.',
    });
  }
  const differences = [
    ...(live.arn === state.values.REPOSITORY_ARN ? [] : [`ARN: expected ${state.values.REPOSITORY_ARN}, found ${live.arn}`]),
    ...(live.uri === state.values.REPOSITORY_URI ? [] : [`URI: expected ${state.values.REPOSITORY_URI}, found ${live.uri}`]),
    ...catalogDifferences(state.catalog, live.catalog),
  ];
  if (differences.length === 0) return;
  throw new TaskError(`The deployed repository differs from the configuration:\n${differences.map((d) => `  - ${d}`).join('\n')}`, {
    code: 'CATALOG_MISMATCH',
    hint: 'Run npm run plan to see the drift, then npm run apply to restore the configured catalog data.',
  });
}
