import { readFile, readlink } from 'node:fs/promises';
import { ps } from 'zx/core';
import { withoutZxPsWarning } from '../core/zx-ps.js';

/** One process of this machine, as `ps` shows it. */
export interface ProcessInfo {
  pid: number;
  /** The command line split on blanks (ps prints it as one line): enough to name a program or find an argument. */
  argv: string[];
  /** Undefined when the process is not ours to inspect (or ended while we looked). */
  cwd: string | undefined;
}

/**
 * The live processes of this machine other than this one, from zx's `ps`. The working
 * directory is not a column ps can print on every platform, so it comes from /proc where
 * there is one (Linux: where builds and CI run); elsewhere it is unknown, and callers must
 * not take that as proof of anything.
 */
export async function listProcesses(): Promise<ProcessInfo[]> {
  const found = await withoutZxPsWarning(() => ps.lookup());
  const others = found.filter((p) => p.command !== '' && Number(p.pid) !== process.pid);
  return Promise.all(others.map(async (p) => ({ pid: Number(p.pid), argv: [p.command, ...p.arguments], cwd: await workingDir(p.pid) })));
}

/** The command line of a live process, or undefined when there is none with this pid. */
export async function describeProcess(pid: number): Promise<string | undefined> {
  const [found] = await withoutZxPsWarning(() => ps.lookup({ pid }));
  return found === undefined ? undefined : [found.command, ...found.arguments].join(' ');
}

/** Whether a process with this pid exists (EPERM: it does, it is just not ours). */
export function isAlive(pid: number): boolean {
  return signalZero(pid);
}

/**
 * Whether any process of this process group is alive. zx's ps has no process-group column,
 * so this asks the kernel directly: signal 0 to the negative id probes the whole group.
 */
export function isGroupAlive(group: number): boolean {
  return signalZero(-group);
}

function signalZero(target: number): boolean {
  try {
    process.kill(target, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Whether argv[0] names `program` (a path ending in it, or the bare name). */
export function runs(info: ProcessInfo, program: string): boolean {
  const first = info.argv[0] ?? '';
  return first === program || first.endsWith(`/${program}`);
}

/** Processes end while we look at them, and others' are closed to us: neither is an error. */
async function workingDir(pid: string): Promise<string | undefined> {
  return fromProc(() => readlink(`/proc/${pid}/cwd`));
}

/**
 * The names of a process's environment variables (never their values: they hold secrets),
 * from /proc; undefined where the process is gone, not ours, or there is no /proc.
 */
export async function environmentNames(pid: number): Promise<Set<string> | undefined> {
  const text = await fromProc(() => readFile(`/proc/${pid}/environ`, 'latin1'));
  if (text === undefined) return undefined;
  return new Set(
    text
      .split('\0')
      .map((entry) => entry.slice(0, Math.max(0, entry.indexOf('='))))
      .filter((name) => name !== ''),
  );
}

async function fromProc<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR' || code === 'EACCES' || code === 'EPERM') return undefined;
    throw error;
  }
}
