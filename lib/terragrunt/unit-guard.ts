import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../core/errors.js';
import { pathError, type PathUse } from '../os/file-target.js';
import { describeProcess, isAlive, isGroupAlive } from '../os/processes.js';
import { isMissing } from '../tools/cache.js';
import * as v from 'valibot';
import { tryParseJson } from '../core/outside-data.js';

/** The guard file beside the unit's terragrunt.hcl (git-ignored). */
export const guardFile = '.deploy-task.lock';

interface Guard {
  /** The task that holds the unit. */
  pid: number;
  what: string;
  /** The process group of the terragrunt it started (its own group: the runner starts it detached). */
  group?: number;
}

/** Records the child the guarded work started, so a later run finds it if this task dies first. */
export type RecordChild = (pid: number) => Promise<void>;

/**
 * One terragrunt run (or clean) per unit folder at a time. Terragrunt is not safe to run
 * twice in one working folder (both rewrite .terragrunt-cache: the second meets
 * half-written files and fails with a bare "EOF"), and clean must not delete a cache a run
 * is using, so a second task in the same checkout stops at once and names the first. Runs
 * in other checkouts meet terraform's state lock instead.
 *
 * A guard whose task died is taken over, unless the terragrunt it started still runs: a task
 * killed with SIGKILL leaves its detached terragrunt (and terraform) running, and starting
 * beside it would break the cache just the same. That orphan is named with the command that
 * stops it.
 */
export async function withUnitGuard<T>(unitDir: string, what: string, work: (recordChild: RecordChild) => Promise<T>): Promise<T> {
  const file = join(unitDir, guardFile);
  const mine: Guard = { pid: process.pid, what };
  // Two tries: the second only after removing a dead run's guard.
  for (let attempt = 1; !(await create(file, JSON.stringify(mine))); attempt += 1) {
    await refuseLiveHolder(await readGuard(file), unitDir);
    if (attempt === 2) throw new TaskError(`Cannot take ${file}: another run keeps recreating it.`, { code: 'UNIT_BUSY' });
    // Left by a dead run (or unreadable): remove it and try again; exclusive create still decides the race.
    await rm(file, { force: true });
  }
  let pending: Promise<void> = Promise.resolve();
  const recordChild: RecordChild = (group) => {
    // The runner does not wait for this write; the finally below does, before removing the file.
    pending = writeFile(file, JSON.stringify({ ...mine, group } satisfies Guard));
    return pending;
  };
  try {
    return await work(recordChild);
  } finally {
    await pending.catch(() => undefined);
    await rm(file, { force: true });
  }
}

/** The guard file as an operator fixes it: a folder in its place, or a unit folder that cannot be written. */
function guardUse(file: string): PathUse {
  return {
    what: "the task's guard file",
    fix: `Remove what is in its place (rm -r ${file}) when no task runs, and make the unit folder writable: the tasks write their guard, plans and terragrunt's cache there.`,
  };
}

async function refuseLiveHolder(holder: Guard | undefined, unitDir: string): Promise<void> {
  if (holder === undefined) return;
  if (isAlive(holder.pid)) {
    throw new TaskError(`Another task is running in this unit of this checkout: ${holder.what} (pid ${holder.pid}).`, {
      code: 'UNIT_BUSY',
      hint: `Wait for it to finish, then run this again (terragrunt cannot share ${unitDir}/.terragrunt-cache).`,
    });
  }
  if (holder.group === undefined || !isGroupAlive(holder.group)) return;
  const leader = await describeProcess(holder.group);
  throw new TaskError(
    `A ${holder.what} left behind by a task that was killed (pid ${holder.pid}) still runs in this unit: process group ${holder.group}${leader === undefined ? '' : ` (${leader})`}.`,
    {
      code: 'UNIT_ORPHAN',
      hint: `Stop it with kill -INT -- -${holder.group} (it releases its state lock), or kill -KILL -- -${holder.group} if it does not end; then run this again.`,
    },
  );
}

/** Exclusive create: false when the file exists. */
async function create(file: string, content: string): Promise<boolean> {
  try {
    await writeFile(file, content, { flag: 'wx' });
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw pathError(error, file, guardUse(file));
  }
}

/** What a guard file holds: the run's pid, what it does, and the process group of the terragrunt it started. */
const guard = v.object({ pid: v.pipe(v.number(), v.integer()), what: v.string(), group: v.optional(v.pipe(v.number(), v.integer())) });

/** The guard's run; undefined when there is none, or the file is half-written (its writer has not finished). */
async function readGuard(file: string): Promise<Guard | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw pathError(error, file, guardUse(file));
  }
  return tryParseJson(text, guard);
}
