import type { Config } from '../lib/config/load.js';
import type { TaskContext } from '../lib/core/context.js';
import { prepareDeploy } from '../lib/deploy/prepare.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import { invokeTerragrunt } from '../lib/terragrunt/invoke.js';

export interface ImportOptions {
  config: Config;
  /** Terraform address in the module; the default is the repository itself. */
  address: string;
}

const name = '[A-Za-z_][A-Za-z0-9_-]*';
const key = '(\\[(\\d+|"[^"\\\\]*")\\])?';
/** A Terraform resource address: [module.NAME[KEY].]...[data.]TYPE.NAME[KEY]. */
const resourceAddress = new RegExp(`^(module\\.${name}${key}\\.)*(data\\.)?${name}\\.${name}${key}$`);

/** Adopts an ECR Public repository created outside Terraform into the unit's state. */
export async function run(opts: ImportOptions, ctx: TaskContext): Promise<number> {
  if (opts.address.length > 512 || !resourceAddress.test(opts.address))
    throw new TaskError(`--address ${JSON.stringify(opts.address)} is not a Terraform resource address.`, {
      code: 'CONFIG_INVALID',
      hint: 'Give one like aws_ecrpublic_repository.this or module.NAME.aws_ecrpublic_repository.this (the default adopts the repository).',
      exitCode: ExitCode.config,
    });
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const command = { kind: 'import' as const, address: opts.address, id: opts.config.repositoryName };
  return (await invokeTerragrunt(dc, ctx, command)).exitCode;
}
