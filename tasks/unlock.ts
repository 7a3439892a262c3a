import type { Config } from '../lib/config/load.js';
import type { TaskContext } from '../lib/core/context.js';
import { prepareDeploy } from '../lib/deploy/prepare.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import { assertCanConfirm, confirm, type ConfirmOptions } from '../lib/core/prompt.js';
import { lockedState, lockHolder, readStateLock, releaseStateLock } from '../lib/state-lock/lock.js';

export interface UnlockOptions {
  config: Config;
  /** The ID from the "Lock Info" terraform printed. */
  lockId: string;
  yes: boolean;
}

/**
 * Releases a stale state lock. Only for a run that is dead: a live one would then write
 * over a newer state. A lock taken on this machine is refused while a terraform process
 * runs here; for one taken elsewhere, the operator's typed confirmation is the proof.
 */
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
  const scope = { config: dc.config, signal: ctx.signal, credentials: dc.credentials, account: dc.identity.account };
  const lock = await readStateLock(scope);
  if (lock === undefined) {
    ctx.log.info(`No state lock is held for ${dc.config.unit}; nothing to release.`);
    return ExitCode.ok;
  }
  if (lock.ID !== opts.lockId) {
    throw new TaskError(`The state lock of ${dc.config.unit} is ${lock.ID} (${lock.Who ?? 'unknown'}), not ${opts.lockId}.`, {
      code: 'LOCK_ID_MISMATCH',
      hint: 'Check the holder with npm run doctor; release only a lock whose run is dead.',
    });
  }
  const holder = await lockHolder(lock, lockedState(scope));
  if (holder.state === 'alive') {
    throw new TaskError(`Lock ${lock.ID} was taken on this machine and terraform is still running (${holder.detail}).`, {
      code: 'LOCK_HOLDER_ALIVE',
      hint: 'Wait for that run to finish (it releases the lock), or stop it first; then, if the lock is still there, run this again.',
    });
  }
  if (holder.state === 'elsewhere')
    ctx.log.warn(`Lock ${lock.ID} was taken by ${holder.who}; this machine cannot see whether that run is alive.`);
  const approved = await confirm(ctx, {
    ...confirmation,
    question: `Release lock ${lock.ID} (${lock.Operation ?? 'an operation'} by ${lock.Who ?? 'unknown'} since ${lock.Created ?? '?'})? Only do this if the run holding it is dead.`,
  });
  if (!approved) throw new TaskError('Unlock cancelled; the lock is still held.', { code: 'CANCELLED' });
  await releaseStateLock(scope, lock.ID);
  ctx.log.info(`Released state lock ${lock.ID}.`);
  return ExitCode.ok;
}
