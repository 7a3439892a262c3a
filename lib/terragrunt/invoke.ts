import type { TaskContext } from '../core/context.js';
import type { TerragruntContext } from './context.js';
import { terragruntArgs, type TerragruntCommand } from './args.js';
import { settleLockAfterKill } from '../state-lock/after-kill.js';
import { runTerragrunt, type RunResult } from './run.js';
import { withUnitGuard, type RecordChild } from './unit-guard.js';

export interface InvokeOptions {
  captureStdout?: boolean;
  acceptExitCodes?: readonly number[];
}

/** Runs one terragrunt command in the unit with the prepared environment; --verbose shows it (redacted). */
export async function invokeTerragrunt(
  dc: TerragruntContext,
  ctx: TaskContext,
  command: TerragruntCommand,
  options: InvokeOptions = {},
): Promise<RunResult> {
  const args = terragruntArgs(command, {
    terraformPath: dc.toolchain.terraform,
    unitDir: dc.unitDir,
    color: ctx.log.color,
    lockTimeoutSeconds: dc.config.lockTimeoutSeconds,
  });
  ctx.log.debug(dc.redact(`$ ${dc.toolchain.terragrunt} ${args.join(' ')}   (in ${dc.unitDir})`));
  const startedAt = new Date();
  const run = (recordChild: RecordChild) =>
    runTerragrunt({
      bin: dc.toolchain.terragrunt,
      args,
      cwd: dc.unitDir,
      env: dc.env,
      redact: dc.redact,
      signal: ctx.signal,
      ...(ctx.stop ? { stop: ctx.stop } : {}),
      stdout: ctx.io.stdout,
      stderr: ctx.io.stderr,
      ...(options.captureStdout ? { captureStdout: true } : {}),
      ...(options.acceptExitCodes ? { acceptExitCodes: options.acceptExitCodes } : {}),
      onStart: (pid) => void recordChild(pid),
    });
  const result = await withUnitGuard(dc.unitDir, `terragrunt ${command.kind}`, run);
  if (result.killed) {
    // The task's signal is already aborted (twice): this clean-up is bounded by DEPLOY_AWS_TIMEOUT_SECONDS alone.
    const scope = { config: dc.config, signal: new AbortController().signal, credentials: dc.credentials, account: dc.identity.account };
    await settleLockAfterKill(scope, ctx.log, startedAt);
  }
  return result;
}
