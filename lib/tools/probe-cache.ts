import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { isMissing, writeAtomically } from './cache.js';
import type { RunRequest, RunResult, Runner } from './version-check.js';
import * as v from 'valibot';
import { tryParseJson } from '../core/outside-data.js';

/**
 * Remembers what `<bin> version` printed, keyed by the binary's path, size and mtime:
 * a binary that did not change reports the same version, so every task after the first
 * skips the ~100 ms a Go binary takes to start. A rebuilt, reinstalled or swapped binary
 * has another size or mtime and is probed again. Only successful probes are kept.
 */
export interface ProbeCache {
  /** A Runner that answers a probe from the cache, or runs it and remembers a success. */
  wrap(runner: Runner): Runner;
}

interface Entries {
  [key: string]: string;
}

const loaded = new Map<string, Promise<Entries>>();

async function load(file: string): Promise<Entries> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if (isMissing(error)) return {};
    throw error;
  }
  // Torn by a concurrent writer, or edited: start afresh (the probes are the truth).
  return tryParseJson(text, v.record(v.string(), v.string())) ?? {};
}

const writes = new Map<string, Promise<void>>();

/** Adds one entry to what the file holds now (other processes write it too), one update at a time per file. */
function remember(file: string, key: string, output: string): Promise<void> {
  const next = (writes.get(file) ?? Promise.resolve()).then(async () => {
    const updated = { ...(await load(file)), [key]: output };
    loaded.set(file, Promise.resolve(updated));
    await writeAtomically(file, `${JSON.stringify(updated, null, 1)}\n`);
  });
  writes.set(file, next);
  return next;
}

/** The identity of the binary as the probe saw it; undefined when it cannot be stat'ed (the probe then reports why). */
async function keyOf(request: RunRequest): Promise<string | undefined> {
  try {
    const info = await stat(request.command);
    return JSON.stringify([request.command, info.size, info.mtimeMs, request.args]);
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** The probe cache file of a tools cache (`<root>/version-probes.json`). */
export function probeCache(cacheRoot: string): ProbeCache {
  const file = join(cacheRoot, 'version-probes.json');
  return {
    wrap: (runner) => async (request) => {
      const key = await keyOf(request);
      if (key === undefined) return runner(request);
      let entries = loaded.get(file);
      if (entries === undefined) loaded.set(file, (entries = load(file)));
      const known = (await entries)[key];
      if (known !== undefined) return { exitCode: 0, stdout: known, tail: known.split('\n').filter((l) => l !== ''), durationMs: 0 };
      const result: RunResult = await runner(request);
      if (result.exitCode === 0) await remember(file, key, result.stdout);
      return result;
    },
  };
}
