import { readdir, readFile } from 'node:fs/promises';
import { relative } from 'node:path';
import { ExitCode, TaskError } from '../core/errors.js';
import type { ProviderPin } from '../tools/tools-lock.js';

/** One `provider` block of a `.terraform.lock.hcl`. */
export interface LockedProvider {
  address: string;
  version: string;
  constraints: string | undefined;
  hashes: string[];
}

/**
 * The lines terraform writes into a dependency lock file, and nothing else: the file is
 * generated, so anything outside this shape is an edit or a corruption, and is refused
 * with its line rather than read half-way.
 */
const line = {
  open: /^provider "([a-z0-9.-]+\/[a-z0-9-]+\/[a-z0-9-]+)" \{$/,
  attribute: /^(version|constraints)\s*=\s*"([^"\\]*)"$/,
  hashesOpen: /^hashes\s*=\s*\[$/,
  hash: /^"((?:h1|zh):[A-Za-z0-9+/=]+)",?$/,
  hashesClose: /^\]$/,
  close: /^\}$/,
} as const;

function unreadable(file: string, lineNo: number, why: string): TaskError {
  return new TaskError(`${file}:${lineNo} is not a terraform dependency lock file: ${why}`, {
    code: 'LOCK_FILE_INVALID',
    exitCode: ExitCode.config,
    hint: `restore it from git (git checkout -- ${file}); a new provider version is locked with terraform providers lock (platform/infra/README.md)`,
  });
}

interface Parser {
  current: Partial<LockedProvider> & { hashes: string[] };
  inHashes: boolean;
}

/** Parses the provider blocks of a lock file; throws LOCK_FILE_INVALID at the first line of another shape. */
export function parseLockFile(text: string, file: string): LockedProvider[] {
  const providers: LockedProvider[] = [];
  let state: Parser | undefined;
  text.split('\n').forEach((raw, index) => {
    const l = raw.trim();
    const lineNo = index + 1;
    if (l === '' || l.startsWith('#')) return;
    if (state === undefined) {
      const open = line.open.exec(l);
      if (open === null) throw unreadable(file, lineNo, `expected a provider block, found ${JSON.stringify(l.slice(0, 60))}`);
      state = { current: { address: open[1], hashes: [] }, inHashes: false };
      return;
    }
    if (state.inHashes) {
      if (line.hashesClose.test(l)) state.inHashes = false;
      else state.current.hashes.push(hashOf(l, file, lineNo));
      return;
    }
    if (line.close.test(l)) {
      providers.push(finished(state.current, file, lineNo));
      state = undefined;
      return;
    }
    if (line.hashesOpen.test(l)) {
      state.inHashes = true;
      return;
    }
    const attribute = line.attribute.exec(l);
    if (attribute === null) throw unreadable(file, lineNo, `unexpected ${JSON.stringify(l.slice(0, 60))}`);
    state.current[attribute[1] as 'version' | 'constraints'] = attribute[2];
  });
  if (state !== undefined) throw unreadable(file, text.split('\n').length, 'the last provider block is not closed');
  return providers;
}

function hashOf(l: string, file: string, lineNo: number): string {
  const hash = line.hash.exec(l)?.[1];
  if (hash === undefined) throw unreadable(file, lineNo, `expected "h1:..." or "zh:...", found ${JSON.stringify(l.slice(0, 60))}`);
  return hash;
}

function finished(p: Parser['current'], file: string, lineNo: number): LockedProvider {
  if (p.address === undefined || p.version === undefined) throw unreadable(file, lineNo, 'a provider block without a version');
  return { address: p.address, version: p.version, constraints: p.constraints, hashes: p.hashes };
}

/** The lock file's providers, or undefined when there is none. */
export async function readLockFile(file: string): Promise<LockedProvider[] | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new TaskError(`cannot read ${file}: ${(error as Error).message}`, {
      code: 'LOCK_FILE_INVALID',
      hint: `make ${file} a readable file (git checkout -- ${file})`,
      cause: error,
    });
  }
  return parseLockFile(text, file);
}

/** Every unit below the Terragrunt root: each folder with a terragrunt.hcl (the caches left out). */
export async function unitDirs(root: string): Promise<string[]> {
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile() && e.name === 'terragrunt.hcl')
    .map((e) => e.parentPath)
    .filter((dir) => !/(^|[/\\])(\.terragrunt-cache|\.terraform)([/\\]|$)/.test(relative(root, dir)))
    .sort();
}

/**
 * What is wrong with one provider entry against the pin. A lock file written against a
 * filesystem mirror or plugin cache has `h1:` hashes of one platform and no `zh:`: that
 * shape alone shows it was not made from the registry's release.
 */
export function lockProblems(locked: LockedProvider, pin: ProviderPin): string[] {
  const zh = new Set(locked.hashes.filter((h) => h.startsWith('zh:')));
  const h1 = locked.hashes.filter((h) => h.startsWith('h1:'));
  const problems: string[] = [];
  if (locked.version !== pin.version) problems.push(`locks ${pin.source} ${locked.version}, not the pinned release ${pin.version}`);
  if (locked.constraints !== pin.constraint)
    problems.push(`records the constraint ${JSON.stringify(locked.constraints ?? '')}, not the modules' "${pin.constraint}"`);
  if (zh.size === 0) {
    problems.push('has no zh: hashes: it was written against a local mirror or plugin cache, not the registry');
  } else {
    const missing = pin.zh.filter((h) => !zh.has(h)).length;
    if (missing > 0)
      problems.push(
        `lacks ${missing} of the ${pin.zh.length} zh: hashes the registry publishes for ${pin.version} (one per platform zip: linux and darwin on amd64 and arm64 among them)`,
      );
    const foreign = [...zh].filter((h) => !pin.zh.includes(h)).length;
    if (foreign > 0) problems.push(`holds ${foreign} zh: hash(es) the registry does not publish for ${pin.version}`);
  }
  if (h1.length === 0) problems.push('has no h1: hash');
  const unknown = h1.filter((h) => !pin.h1.includes(h)).length;
  if (unknown > 0) problems.push(`holds ${unknown} h1: hash(es) of no package of the release: a locally built provider's`);
  return problems;
}
