import { readdir, readFile, readlink } from 'node:fs/promises';

/** One process of this machine, as far as /proc lets us see it. */
export interface ProcessInfo {
  pid: number;
  argv: string[];
  /** Undefined when the process is not ours to inspect (or ended while we looked). */
  cwd: string | undefined;
}

/**
 * The live processes of this machine other than this one. Linux-only (/proc): that is
 * where builds and CI run; elsewhere the list is empty, so callers cannot prove a
 * process alive (and must not take that as proof it is dead).
 */
export async function listProcesses(): Promise<ProcessInfo[]> {
  let names: string[];
  try {
    names = await readdir('/proc');
  } catch (error) {
    if (gone(error)) return [];
    throw error;
  }
  const pids = names.filter((name) => /^\d+$/.test(name) && name !== String(process.pid));
  const found = await Promise.all(
    pids.map(async (pid): Promise<ProcessInfo | undefined> => {
      const cmdline = await procRead(() => readFile(`/proc/${pid}/cmdline`, 'utf8'));
      if (cmdline === undefined || cmdline === '') return undefined;
      const cwd = await procRead(() => readlink(`/proc/${pid}/cwd`));
      return { pid: Number(pid), argv: cmdline.split('\0').filter((a) => a !== ''), cwd };
    }),
  );
  return found.filter((p): p is ProcessInfo => p !== undefined);
}

/** Whether a process with this pid exists (EPERM: it does, it is just not ours). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
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

/** Processes end while we scan them, and others' are closed to us: neither is an error. */
async function procRead(read: () => Promise<string>): Promise<string | undefined> {
  try {
    return await read();
  } catch (error) {
    if (gone(error) || (error as NodeJS.ErrnoException).code === 'EACCES') return undefined;
    throw error;
  }
}

function gone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ESRCH' || code === 'ENOTDIR';
}
