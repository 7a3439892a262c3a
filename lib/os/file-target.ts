import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { access, constants, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** A path's stats, or undefined when nothing is there (ENOTDIR: a parent is a file, so nothing can be there either). */
async function statOf(path: string): Promise<Stats | undefined> {
  try {
    return await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return undefined;
    throw error;
  }
}

async function writable(path: string, mode = constants.W_OK): Promise<boolean> {
  try {
    await access(path, mode);
    return true;
  } catch {
    // access() answers only yes or no; its error is the no.
    return false;
  }
}

/** Why a path cannot be written, and the fix for it (a sentence to which a caller may add `, or ...`). */
export interface Unwritable {
  problem: string;
  fix: string;
}

/**
 * Why `file` cannot be written (created, appended to or replaced), or undefined when it
 * can: checked before a task does its work, so a bad path fails first rather than after
 * a plan. A folder that is missing is not created: a typo should not leave folders behind.
 */
export async function unwritableReason(file: string): Promise<Unwritable | undefined> {
  const folder = dirname(file);
  let found: Stats | undefined;
  let parent: Stats | undefined;
  try {
    found = await statOf(file);
    parent = found === undefined ? await statOf(folder) : undefined;
  } catch (error) {
    // EACCES on a folder on the way, ELOOP, ...: the path cannot be used, whatever it holds.
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    return { problem: `${file} cannot be reached (${code})`, fix: `Check the permissions of the folders in ${file}` };
  }
  if (found?.isDirectory()) return { problem: `${file} is a directory`, fix: `Name a file, not the directory ${file}` };
  if (found !== undefined)
    return (await writable(file)) ? undefined : { problem: `${file} is not writable`, fix: `Make it writable (chmod u+w ${file})` };
  if (parent === undefined) return { problem: `its folder ${folder} does not exist`, fix: `Create the folder first (mkdir -p ${folder})` };
  if (!parent.isDirectory()) return { problem: `${folder} is not a folder`, fix: `Name a file in an existing folder` };
  if (await writable(folder, constants.W_OK | constants.X_OK)) return undefined;
  return { problem: `its folder ${folder} is not writable`, fix: `Make the folder writable (chmod u+w ${folder})` };
}

/**
 * Replaces `file` with `content` through a temp file beside it and a rename, so a reader
 * (a shell sourcing it) sees the old file or the new one, never half of one. The temp file
 * is removed when any step fails; the error is the caller's to report.
 */
export async function replaceFile(file: string, content: string): Promise<void> {
  const temp = join(dirname(file), `.${basename(file)}.${randomUUID()}.tmp`);
  try {
    await writeFile(temp, content, { mode: 0o644, flag: 'wx' });
    await rename(temp, file);
  } catch (error) {
    await rm(temp, { force: true });
    throw error;
  }
}
