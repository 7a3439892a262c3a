import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// dist too: the CLI finds its project from where its code lives.
const copied = ['platform', '.tool-versions', 'tools.lock.json', 'package.json', 'dist'];

/**
 * A temp copy of the project for tests that run the tasks end to end, so plan files and
 * .terragrunt-cache never land in the work tree. node_modules is linked, not copied; run
 * the copy's own CLI (runCli with the copy's dir) so the tasks work on the copy.
 */
export async function projectCopy(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'project-'));
  for (const entry of copied) {
    await cp(join(process.cwd(), entry), join(dir, entry), {
      recursive: true,
      filter: (src) => !/[/\\](\.terraform|\.terragrunt-cache)([/\\]|$)/.test(src),
    });
  }
  await symlink(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
