import { readdir, rm } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { TaskError } from '../../lib/core/errors.js';
import { withUnitGuard } from '../../lib/terragrunt/unit-guard.js';
import { isInside } from '../../lib/infra/tree.js';

const cacheNames = new Set(['.terragrunt-cache', '.terraform']);

/** Every .terragrunt-cache and .terraform folder below `root` (not descending into them). */
async function findCacheDirs(root: string): Promise<string[]> {
  const found: string[] = [];
  const walk = async (dir: string): Promise<void> => {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      if (cacheNames.has(entry.name)) found.push(path);
      else if (entry.name !== 'node_modules' && entry.name !== '.git') await walk(path);
    }
  };
  await walk(root);
  return found.sort();
}

/**
 * Deletes the caches, but never one that holds the caller's shell directory
 * (npm's INIT_CWD): deleting it would leave that shell in a removed directory. Each one
 * under its unit's guard: a cache a running plan uses (or a killed task's terragrunt still
 * uses) is refused, and no run can start in a unit while its cache goes.
 */
export async function removeCaches(root: string, shellDir: string): Promise<string[]> {
  const dirs = await findCacheDirs(root);
  const holding = dirs.filter((d) => isInside(resolve(shellDir), d));
  if (holding.length > 0) {
    throw new TaskError(`Your shell is inside ${holding[0] ?? ''}, which this cleanup would delete.`, {
      code: 'CLEAN_FROM_INSIDE',
      hint: `cd ${root} && npm run clean`,
    });
  }
  // Every unit's guard first, then the deletions: a busy unit stops the whole clean before anything is gone.
  const units = [...new Set(dirs.map((d) => dirname(d)))];
  await underGuards(units, () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));
  return dirs;
}

/** Runs `work` holding the guard of every unit, taken one after the other. */
async function underGuards<T>(units: readonly string[], work: () => Promise<T>): Promise<T> {
  const [first, ...rest] = units;
  return first === undefined ? work() : withUnitGuard(first, 'clean', () => underGuards(rest, work));
}
