import type { Config } from '../lib/config/load.js';
import type { TaskContext } from '../lib/context.js';
import { prepareDeploy } from '../lib/deploy-context.js';
import { invokeTerragrunt } from '../lib/terragrunt/invoke.js';

export interface ImportOptions {
  config: Config;
  color: boolean;
  /** Terraform address in the module; the default is the repository itself. */
  address: string;
}

/** Adopts an ECR Public repository created outside Terraform into the unit's state. */
export async function run(opts: ImportOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const command = { kind: 'import' as const, address: opts.address, id: opts.config.repositoryName };
  return (await invokeTerragrunt(dc, ctx, command, { color: opts.color })).exitCode;
}
