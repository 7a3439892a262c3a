import { parseKnownFiles } from '@smithy/core/config';
import { kill, ps } from 'zx';
import { withoutZxPsWarning } from '../core/zx-ps.js';

/** The programs the profiles' credential_process lines start (their first word). */
async function credentialPrograms(): Promise<string[]> {
  const sections = (await parseKnownFiles({})) as Record<string, Record<string, string | undefined> | undefined>;
  return Object.values(sections).flatMap((section) => {
    const program = section?.credential_process
      ?.trim()
      .split(/\s+/)[0]
      ?.replace(/^["']|["']$/g, '');
    return program === undefined || program === '' ? [] : [program];
  });
}

/**
 * Ends the credential_process children the SDK left running. The SDK starts a profile's
 * credential_process with child_process.exec and offers no way to stop it: after our bound
 * or a signal gave up on the lookup, a process that never answers would keep this process
 * alive forever. Our own children (zx's ps) whose command line names the profile's program
 * are killed with their trees (zx's kill).
 */
export async function stopCredentialProcesses(): Promise<void> {
  const programs = await credentialPrograms();
  if (programs.length === 0) return;
  const children = await withoutZxPsWarning(() => ps.lookup({ ppid: process.pid }));
  const leftovers = children.filter((p) => {
    const line = [p.command, ...p.arguments].join(' ');
    return programs.some((program) => line.includes(program));
  });
  await Promise.all(leftovers.map((p) => withoutZxPsWarning(() => kill(Number(p.pid), 'SIGKILL'))));
}
