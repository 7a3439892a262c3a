import type { Config } from '../lib/config/load.js';
import type { TaskContext } from '../lib/context.js';
import { prepareDeploy } from '../lib/deploy-context.js';
import { ExitCode, TaskError } from '../lib/errors.js';
import { assertCanConfirm, confirm, type ConfirmOptions } from '../lib/prompt.js';
import { invokeTerragrunt } from '../lib/terragrunt/invoke.js';

export interface UnlockOptions {
  config: Config;
  color: boolean;
  /** The ID from the "Lock Info" terraform printed. */
  lockId: string;
  yes: boolean;
}

/** Releases a stale state lock. Only for a run that is dead: a live one would then write over a newer state. */
export async function run(opts: UnlockOptions, ctx: TaskContext): Promise<number> {
  if (!/^[A-Za-z0-9-]{1,64}$/.test(opts.lockId)) {
    throw new TaskError(`--lock-id ${JSON.stringify(opts.lockId)} is not a lock ID.`, {
      code: 'CONFIG_INVALID',
      hint: 'Copy the ID from the "Lock Info" block terraform printed.',
      exitCode: ExitCode.config,
    });
  }
  const confirmation: ConfirmOptions = {
    question: `Release lock ${opts.lockId}? Only do this if the run holding it is dead.`,
    expected: opts.lockId,
    yes: opts.yes,
    action: 'unlock',
    withoutTerminal: `Run it in a terminal to confirm, or pass --yes in automation (npm run unlock -- --lock-id ${opts.lockId} --yes).`,
  };
  // No terminal and no --yes: refuse before any AWS call rather than after.
  assertCanConfirm(ctx, confirmation);
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const approved = await confirm(ctx, confirmation);
  if (!approved) throw new TaskError('Unlock cancelled; the lock is still held.', { code: 'CANCELLED' });
  return (await invokeTerragrunt(dc, ctx, { kind: 'force-unlock', lockId: opts.lockId }, { color: opts.color })).exitCode;
}
