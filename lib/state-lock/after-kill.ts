import { errorMessage } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import type { ProcessInfo } from '../os/processes.js';
import { lockedState, lockHolder, readStateLock, releaseStateLock, unlockCommand, type LockScope } from './lock.js';

/**
 * After a run was killed (second Ctrl-C), terraform had no chance to release its lock.
 * A lock this run took (on this machine, by this user, after the run started) whose
 * holder is provably dead is released; any other lock is left, with its ID and the
 * command that releases it. Never silent.
 */
export async function settleLockAfterKill(scope: LockScope, log: Logger, startedAt: Date, processes?: ProcessInfo[]): Promise<void> {
  try {
    await settle(scope, log, startedAt, processes);
  } catch (error) {
    // The task is already interrupted, so the entry point would print nothing of this: say it here.
    log.warn(
      `Stopped at once; the state lock could not be read (${errorMessage(error)}), so it may still be held. ` +
        `npm run doctor shows the lock and its ID; when no run is using it: ${unlockCommand('<ID>')}`,
    );
  }
}

async function settle(scope: LockScope, log: Logger, startedAt: Date, processes: ProcessInfo[] | undefined): Promise<void> {
  const lock = await readStateLock(scope);
  if (lock === undefined) {
    log.warn('Stopped at once; no state lock was left behind.');
    return;
  }
  const created = lock.Created === undefined ? Number.NaN : Date.parse(lock.Created);
  const holder = await lockHolder(lock, lockedState(scope), processes);
  if (holder.state === 'dead' && created >= startedAt.getTime()) {
    await releaseStateLock(scope, lock.ID);
    log.warn(`Stopped at once; released the state lock ${lock.ID} that this run held (its terraform is no longer running).`);
    return;
  }
  const why =
    holder.state === 'elsewhere'
      ? `it was taken by ${holder.who}, not by this run`
      : !(created >= startedAt.getTime())
        ? `it was taken at ${lock.Created ?? 'an unknown time'}, before this run started`
        : `a terraform process is still running (${holder.state === 'alive' ? holder.detail : ''})`;
  log.warn(
    `Stopped at once; the state lock ${lock.ID} (${lock.Operation ?? 'an operation'} by ${lock.Who ?? 'unknown'}) is still held, because ${why}. ` +
      `When no run is using it: ${unlockCommand(lock.ID)}`,
  );
}
