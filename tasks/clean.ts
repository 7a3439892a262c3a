import { resolve } from 'node:path';
import { removeCaches } from '../lib/cache-cleanup.js';
import type { TaskContext } from '../lib/context.js';
import { ExitCode } from '../lib/errors.js';

export interface CleanOptions {
  /** The directory the operator's shell is in (npm sets INIT_CWD to it). */
  shellDir: string;
}

/** Removes .terragrunt-cache and .terraform folders under platform/infra, from outside the tree it deletes. */
export async function run(opts: CleanOptions, ctx: TaskContext): Promise<number> {
  const root = resolve(ctx.projectDir, 'platform', 'infra');
  const removed = await removeCaches(root, opts.shellDir);
  ctx.log.info(
    removed.length === 0 ? 'Nothing to clean.' : `Removed ${removed.length} cache folder(s):\n${removed.map((d) => `  ${d}`).join('\n')}`,
  );
  return ExitCode.ok;
}
