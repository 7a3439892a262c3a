import { cp, mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { copyInfraTree } from '../lib/infra/copy.js';

// dist too: the CLI finds its project from where its code lives; and the sandbox's moto entry.
const copied = ['.tool-versions', 'tools.lock.json', 'package.json', 'dist', 'sandbox/moto_server.py'];

/**
 * A temp copy of the project for tests that run the tasks end to end, so plan files and
 * .terragrunt-cache never land in the work tree. node_modules is linked, not copied.
 */
export async function projectCopy(): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'project-'));
  for (const entry of copied) await cp(join(process.cwd(), entry), join(dir, entry), { recursive: true });
  await copyInfraTree(join(process.cwd(), 'platform'), join(dir, 'platform'));
  await symlink(join(process.cwd(), 'node_modules'), join(dir, 'node_modules'));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
