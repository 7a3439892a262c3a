import { randomUUID } from 'node:crypto';
import type { Stats } from 'node:fs';
import { access, constants, mkdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { ExitCode, TaskError } from '../core/errors.js';

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

/** What a path given by the operator (a setting, a flag) is for, and how to fix it: a sentence. */
export interface PathUse {
  /** e.g. "the tools cache (TOOLS_CACHE_DIR)". */
  what: string;
  fix: string;
}

// The file system's refusals, in words: none of them is a bug in the tasks.
const refusals: Readonly<Record<string, string>> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  EROFS: 'it is on a read-only file system',
  ENOTDIR: 'a part of the path is a file, not a folder',
  EISDIR: 'it is a folder, not a file',
  EEXIST: 'it is a file, not a folder',
  ENOENT: 'its folder does not exist',
  ENOSPC: 'no space is left on its disk',
  EDQUOT: 'the disk quota is used up',
  EIO: 'the file system answered with an I/O error',
  ELOOP: 'it is a loop of symlinks',
  ENAMETOOLONG: 'the path is too long',
};

/**
 * A file-system refusal (EACCES, EROFS, ENOTDIR, ...) on `path` as a TaskError naming the path,
 * what it is for and the fix (bad input, 64); any other error is returned as it is, for the
 * caller to rethrow: `catch (e) { throw pathError(e, dir, use); }`.
 */
export function pathError(error: unknown, path: string, use: PathUse): unknown {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  const reason = code === undefined ? undefined : refusals[code];
  if (reason === undefined) return error;
  return new TaskError(`Cannot write ${use.what} at ${path}: ${reason} (${code ?? ''}).`, {
    code: 'PATH_UNWRITABLE',
    hint: use.fix,
    exitCode: ExitCode.config,
    cause: error,
  });
}

/** Creates the folder (and its parents) and checks it can be written, reporting a refusal with pathError. */
export async function ensureFolder(dir: string, use: PathUse): Promise<void> {
  try {
    await mkdir(dir, { recursive: true });
    await access(dir, constants.W_OK | constants.X_OK);
  } catch (error) {
    throw pathError(error, dir, use);
  }
}
