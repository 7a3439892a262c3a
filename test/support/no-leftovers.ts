import { ps } from 'zx/core';
import { withoutZxPsWarning } from '../../lib/core/zx-ps.js';
import { listProcesses } from '../../lib/os/processes.js';

/**
 * The suite leaves no process of its own alive. node --test runs each file in a process of
 * its own, so each file checks its own descendants as it exits, after every hook (sandboxes
 * stopped, project copies removed): what is still running then was left behind by the file.
 * They are named, killed so the machine stays clean, and the file fails. Imported by the
 * support modules the files share (cli.ts), so no file can forget it.
 */
function checkLeftovers(): void {
  const left = withoutZxPsWarning(() => ps.tree.sync({ pid: process.pid, recursive: true }))
    // The ps that lists them (through sh) is a child of ours too, for the moment it runs.
    .filter((p) => !/(^|[\s/])ps -lx$/.test([p.command, ...p.arguments].join(' ')));
  if (left.length === 0) return;
  process.stderr.write(
    `This test file left ${left.length} process(es) running:\n${left.map((p) => `  pid ${p.pid}: ${[p.command, ...p.arguments].join(' ')}`).join('\n')}\n`,
  );
  for (const p of left) {
    try {
      process.kill(Number(p.pid), 'SIGKILL');
    } catch {
      // Ended between the listing and the kill: what the kill was for.
    }
  }
  process.exitCode = 1;
}

process.once('exit', checkLeftovers);

/**
 * What still runs with its working directory in `dir` (the project copy a test file is
 * about to remove), for the file's `after`. A process whose parent died (terraform under a
 * killed terragrunt) is no descendant of the file any more, so the exit check above cannot
 * see it; its working directory still names where it came from. Those found are named and
 * killed, and the hook fails: an orphan that outlives its test takes state locks and
 * machine time from the files that run after it.
 */
export async function assertNothingRunsIn(dir: string): Promise<void> {
  const inside = (await listProcesses()).filter((p) => p.cwd !== undefined && (p.cwd === dir || p.cwd.startsWith(`${dir}/`)));
  if (inside.length === 0) return;
  for (const p of inside) {
    try {
      process.kill(p.pid, 'SIGKILL');
    } catch {
      // Ended between the listing and the kill: what the kill was for.
    }
  }
  throw new Error(
    `${inside.length} process(es) still ran in ${dir} after its tests:\n${inside.map((p) => `  pid ${p.pid}: ${p.argv.join(' ')}`).join('\n')}`,
  );
}
