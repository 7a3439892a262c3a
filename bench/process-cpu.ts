import { readFile } from 'node:fs/promises';

/** The kernel's clock ticks per second for /proc/<pid>/stat times (USER_HZ, 100 on Linux everywhere). */
const ticksPerSecond = 100;

/**
 * CPU seconds (user + system) a running process has used so far, from /proc/<pid>/stat: the
 * bench compares it with the wall time of a run to tell whether the sandbox kept up.
 */
export async function cpuSeconds(pid: number): Promise<number> {
  const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
  // Fields after the command name (which may hold spaces), in parentheses: utime and stime are the 14th and 15th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}
