import { hostname, userInfo } from 'node:os';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Config } from '../config/load.js';
import { TaskError } from '../errors.js';
import { listProcesses, processEnvironment, runs, type ProcessInfo } from '../os/processes.js';
import { deleteStateObject, readStateObject, stateKeys } from '../state-bucket/state-object.js';

/** What terraform writes into `<state>.tflock` (its LockInfo). */
export interface StateLock {
  ID: string;
  Operation?: string;
  Who?: string;
  Created?: string;
}

/** Where the lock lives and who may read it: the deploy context has all of this. */
export interface LockScope {
  config: Config;
  credentials: AwsCredentialIdentity;
  account: string;
}

export async function readStateLock(scope: LockScope): Promise<StateLock | undefined> {
  const key = stateKeys(scope.config).lock;
  const body = await readStateObject(scope.config, scope.credentials, scope.account, key);
  if (body === undefined) return undefined;
  let lock: Partial<StateLock>;
  try {
    lock = JSON.parse(body) as Partial<StateLock>;
  } catch {
    lock = {};
  }
  if (typeof lock.ID !== 'string' || lock.ID === '') {
    throw new TaskError(`s3://${scope.config.stateBucket}/${key} is not a terraform lock file (no ID in it)`, {
      code: 'LOCK_UNREADABLE',
      hint: `Look at it: aws s3 cp s3://${scope.config.stateBucket}/${key} -`,
    });
  }
  return lock as StateLock;
}

/** Terraform's `Who`: user@host of the process that took the lock. */
export function thisHolder(): string {
  return `${userInfo().username}@${hostname()}`;
}

export type Holder =
  | { state: 'alive'; detail: string }
  | { state: 'dead' }
  /** Taken on another machine: nothing here can tell whether that run is alive. */
  | { state: 'elsewhere'; who: string };

/** Where a lock lives, as the tasks tell terraform (root.hcl reads these from its environment). */
export interface LockPlace {
  stateBucket: string;
  s3Endpoint: string | undefined;
}

/**
 * Whether a terraform process may hold a lock in `place`. One the tasks started carries
 * their DEPLOY_STATE_BUCKET and AWS_ENDPOINT_URL_S3: naming another bucket or endpoint,
 * it works on another state. Any other terraform (run by hand, or not ours to read)
 * may be the holder: the safe side.
 */
async function mayHold(p: ProcessInfo, place: LockPlace): Promise<boolean> {
  const env = await processEnvironment(p.pid);
  if (env?.DEPLOY_STATE_BUCKET === undefined) return true;
  return env.DEPLOY_STATE_BUCKET === place.stateBucket && (env.AWS_ENDPOINT_URL_S3 || undefined) === place.s3Endpoint;
}

/**
 * Whether the run holding `lock` is alive. A lock taken on this machine by this user is
 * held by a live run exactly when a terraform process that may hold it is still running
 * (the lock names no pid, so every such terraform counts: refusing then is the safe side).
 */
export async function lockHolder(lock: StateLock, place: LockPlace, processes?: ProcessInfo[]): Promise<Holder> {
  const who = lock.Who ?? 'unknown';
  if (who !== thisHolder()) return { state: 'elsewhere', who };
  const terraforms = (processes ?? (await listProcesses())).filter((p) => runs(p, 'terraform'));
  const running = (await Promise.all(terraforms.map(async (p) => ((await mayHold(p, place)) ? [p] : [])))).flat();
  if (running.length === 0) return { state: 'dead' };
  return { state: 'alive', detail: running.map((p) => `pid ${p.pid}: ${p.argv.join(' ')}`).join('; ') };
}

/** Releases the lock with this ID (terraform's force-unlock does the same: read, compare, delete). */
export async function releaseStateLock(scope: LockScope, id: string): Promise<void> {
  const current = await readStateLock(scope);
  if (current === undefined) return;
  if (current.ID !== id) {
    throw new TaskError(`The state lock is now ${current.ID}, not ${id}: someone else took it.`, {
      code: 'LOCK_CHANGED',
      hint: 'Check who holds it with npm run doctor before releasing anything.',
    });
  }
  await deleteStateObject(scope.config, scope.credentials, scope.account, stateKeys(scope.config).lock);
}

export function unlockCommand(id: string): string {
  return `npm run unlock -- --lock-id ${id}`;
}
