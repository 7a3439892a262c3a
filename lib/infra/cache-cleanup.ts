import { readdir, rm } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TaskError } from '../core/errors.js';
import { isInside } from './tree.js';

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
 * (npm's INIT_CWD): deleting it would leave that shell in a removed directory.
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
  await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  return dirs;
}
