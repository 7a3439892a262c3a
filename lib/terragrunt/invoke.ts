import type { TaskContext } from '../context.js';
import type { DeployContext } from '../deploy-context.js';
import { terragruntArgs, type TerragruntCommand } from './args.js';
import { runTerragrunt, type RunResult } from './run.js';

export interface InvokeOptions {
  color: boolean;
  captureStdout?: boolean;
  acceptExitCodes?: readonly number[];
}

/** Runs one terragrunt command in the unit with the prepared environment; --verbose shows it (redacted). */
export async function invokeTerragrunt(
  dc: DeployContext,
  ctx: TaskContext,
  command: TerragruntCommand,
  options: InvokeOptions,
): Promise<RunResult> {
  const args = terragruntArgs(command, { terraformPath: dc.toolchain.terraform, unitDir: dc.unitDir, color: options.color });
  ctx.log.debug(dc.redact(`$ ${dc.toolchain.terragrunt} ${args.join(' ')}   (in ${dc.unitDir})`));
  return runTerragrunt({
    bin: dc.toolchain.terragrunt,
    args,
    cwd: dc.unitDir,
    env: dc.env,
    redact: dc.redact,
    signal: ctx.signal,
    stdout: process.stdout,
    stderr: process.stderr,
    ...(options.captureStdout ? { captureStdout: true } : {}),
    ...(options.acceptExitCodes ? { acceptExitCodes: options.acceptExitCodes } : {}),
  });
}
