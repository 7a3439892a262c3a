import { readFile } from 'node:fs/promises';
import { hostname, userInfo } from 'node:os';
import { join } from 'node:path';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { AwsScope } from '../aws/clients.js';
import { TaskError } from '../core/errors.js';
import { printable } from '../core/printable.js';
import { environmentNames, listProcesses, runs, type ProcessInfo } from '../os/processes.js';
import { deleteStateObject, readStateObject, stateKeys } from '../state-bucket/state-object.js';
import * as v from 'valibot';
import { parseJson, tryParseJson } from '../core/outside-data.js';

/** What terraform writes into `<state>.tflock` (its LockInfo); a lock without an ID is not one. */
const stateLock = v.object({
  ID: v.pipe(v.string(), v.nonEmpty()),
  Operation: v.optional(v.string()),
  Who: v.optional(v.string()),
  Created: v.optional(v.string()),
});
export type StateLock = v.InferOutput<typeof stateLock>;

/** The lock object's text, checked: anything else at the lock's key is named, with how to look at it. */
export function parseStateLock(body: string, bucket: string, key: string): StateLock {
  return parseJson(body, stateLock, {
    what: `s3://${bucket}/${key}, the state lock,`,
    code: 'LOCK_UNREADABLE',
    hint: `Look at it: aws s3 cp s3://${bucket}/${key} - ; if no run holds it, delete it: aws s3 rm s3://${bucket}/${key}`,
  });
}

/** The part of a working directory's .terraform/terraform.tfstate that names the state it works on. */
const backendState = v.object({
  backend: v.object({
    config: v.object({
      bucket: v.string(),
      key: v.string(),
      endpoints: v.nullish(v.object({ s3: v.nullish(v.string()) })),
    }),
  }),
});

/** Where the lock lives, who may read it, and what stops the calls: the deploy context has all of this. */
export interface LockScope extends AwsScope {
  credentials: AwsCredentialIdentity;
  account: string;
}

export async function readStateLock(scope: LockScope): Promise<StateLock | undefined> {
  const key = stateKeys(scope.config).lock;
  const body = await readStateObject(scope, scope.credentials, scope.account, key);
  if (body === undefined) return undefined;
  const lock = parseStateLock(body, scope.config.stateBucket, key);
  // Who, Operation and Created are whatever the lock's writer put there: printed, so made printable.
  const shown = (v: string | null | undefined): string | undefined => (typeof v === 'string' ? printable(v) : undefined);
  return { ID: lock.ID, Operation: shown(lock.Operation), Who: shown(lock.Who), Created: shown(lock.Created) };
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

/** What a live terraform process works on: a remote state (its id), no remote state, or unknown. */
type WorksOn = { state: string } | 'no state' | 'unknown';

/**
 * The state a live terraform process works on: its data dir's backend settings, read where
 * the process reads them. 'no state' when that data dir holds no backend settings (a terraform
 * -version, fmt or console with no backend: it works on no remote state, so it holds no
 * lock of ours). 'unknown' when it cannot be known: the working directory is closed to us
 * or gone (an orphan whose checkout was removed), -chdir or TF_DATA_DIR point elsewhere, or
 * the settings cannot be read.
 */
async function stateOf(info: ProcessInfo): Promise<WorksOn> {
  if (info.cwd === undefined || info.cwd.endsWith(' (deleted)')) return 'unknown';
  if (info.argv.some((arg) => arg.startsWith('-chdir'))) return 'unknown';
  const environment = await environmentNames(info.pid);
  if (environment === undefined || environment.has('TF_DATA_DIR')) return 'unknown';
  let text: string;
  try {
    text = await readFile(join(info.cwd, '.terraform', 'terraform.tfstate'), 'utf8');
  } catch (error) {
    // Not initialised with a backend: no remote state. Anything else (not ours to read): unknown.
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no state' : 'unknown';
  }
  // Another backend, or a file being written: unknown.
  const config = tryParseJson(text, backendState)?.backend.config;
  return config === undefined ? 'unknown' : { state: stateId(config.endpoints?.s3 ?? undefined, config.bucket, config.key) };
}

/**
 * Whether the run holding the lock of `state` (see lockedState) is alive. A lock taken on
 * this machine by this user is held by a live run exactly when a terraform process that
 * works on that state is still running. The lock names no pid, so a terraform whose
 * state cannot be known counts as a possible holder: refusing then is the safe side.
 */
export async function lockHolder(lock: StateLock, state: string, processes?: ProcessInfo[]): Promise<Holder> {
  const who = lock.Who ?? 'unknown';
  if (who !== thisHolder()) return { state: 'elsewhere', who };
  const terraforms = (processes ?? (await listProcesses())).filter((p) => runs(p, 'terraform'));
  const states = await Promise.all(terraforms.map(stateOf));
  const running = terraforms.filter((_, i) => {
    const works = states[i];
    return works === 'unknown' || (typeof works === 'object' && works.state === state);
  });
  if (running.length === 0) return { state: 'dead' };
  return { state: 'alive', detail: running.map((p) => `pid ${p.pid}: ${p.argv.join(' ')}`).join('; ') };
}

/**
 * The unit's state as terraform's backend settings name it: endpoint, bucket and key.
 * The endpoint matters where two S3 services hold buckets of the same name (two sandboxes).
 */
export function lockedState(scope: LockScope): string {
  return stateId(scope.config.s3Endpoint, scope.config.stateBucket, stateKeys(scope.config).state);
}

function stateId(endpoint: string | undefined, bucket: string, key: string): string {
  return `${endpoint ?? 'aws'} ${bucket}/${key}`;
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
  await deleteStateObject(scope, scope.credentials, scope.account, stateKeys(scope.config).lock);
}

export function unlockCommand(id: string): string {
  return `npm run unlock -- --lock-id ${id}`;
}
