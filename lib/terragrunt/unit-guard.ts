import { readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../core/errors.js';
import { pathError, type PathUse } from '../os/file-target.js';
import { isAlive } from '../os/processes.js';
import { isMissing } from '../tools/cache.js';
import * as v from 'valibot';
import { tryParseJson } from '../core/outside-data.js';

/** The guard file beside the unit's terragrunt.hcl (git-ignored). */
export const guardFile = '.deploy-task.lock';

/**
 * One terragrunt run per unit folder at a time. Terragrunt is not safe to run twice in
 * one working folder (both rewrite .terragrunt-cache: the second meets half-written
 * files and fails with a bare "EOF"), so a second task in the same checkout stops at
 * once and names the first. Runs in other checkouts meet terraform's state lock instead.
 * A guard left by a dead process is taken over.
 */
export async function withUnitGuard<T>(unitDir: string, what: string, work: () => Promise<T>): Promise<T> {
  const file = join(unitDir, guardFile);
  const mine = JSON.stringify({ pid: process.pid, what });
  // Two tries: the second only after removing a dead run's guard.
  for (let attempt = 1; !(await create(file, mine)); attempt += 1) {
    const holder = await readGuard(file);
    if (holder !== undefined && isAlive(holder.pid)) {
      throw new TaskError(`Another task is running terragrunt in this unit of this checkout: ${holder.what} (pid ${holder.pid}).`, {
        code: 'UNIT_BUSY',
        hint: `Wait for it to finish, then run this again (terragrunt cannot share ${unitDir}/.terragrunt-cache).`,
      });
    }
    if (attempt === 2) throw new TaskError(`Cannot take ${file}: another run keeps recreating it.`, { code: 'UNIT_BUSY' });
    // Left by a dead run (or unreadable): remove it and try again; exclusive create still decides the race.
    await rm(file, { force: true });
  }
  try {
    return await work();
  } finally {
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

/** What a guard file holds: the run's pid and what it does. */
const guard = v.object({ pid: v.pipe(v.number(), v.integer()), what: v.string() });

/** The guard's run; undefined when there is none, or the file is half-written (its writer has not finished). */
async function readGuard(file: string): Promise<v.InferOutput<typeof guard> | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw pathError(error, file, guardUse(file));
  }
  return tryParseJson(text, guard);
}
