import { dirname, resolve } from 'node:path';
import type { Config } from '../lib/config/load.js';
import { removeCaches } from '../lib/cache-cleanup.js';
import type { TaskContext } from '../lib/context.js';
import { ExitCode } from '../lib/errors.js';

export interface CleanOptions {
  /** The directory the operator's shell is in (npm sets INIT_CWD to it). */
  shellDir: string;
  config: Config;
}

/** Removes .terragrunt-cache and .terraform folders of the infrastructure tree, from outside the tree it deletes. */
export async function run(opts: CleanOptions, ctx: TaskContext): Promise<number> {
  // The Terragrunt root's parent: units and the modules they use (platform/infra by default).
  const root = dirname(resolve(ctx.projectDir, opts.config.infraDir));
  const removed = await removeCaches(root, opts.shellDir);
  ctx.log.info(
    removed.length === 0 ? 'Nothing to clean.' : `Removed ${removed.length} cache folder(s):\n${removed.map((d) => `  ${d}`).join('\n')}`,
  );
  return ExitCode.ok;
}
