import type { Config } from '../lib/config/load.js';
import { removeCaches } from './clean/cache-cleanup.js';
import type { TaskContext } from '../lib/core/context.js';
import { ExitCode } from '../lib/core/errors.js';
import { infraTree } from '../lib/infra/tree.js';
import { operatorDir } from '../lib/os/operator-dir.js';

export interface CleanOptions {
  config: Config;
}

/**
 * Removes .terragrunt-cache and .terraform folders of the project's infrastructure tree
 * (platform/infra by default), from outside the tree it deletes; never anything else.
 */
export async function run(opts: CleanOptions, ctx: TaskContext): Promise<number> {
  const removed = await removeCaches(infraTree(opts.config, ctx.projectDir).tree, operatorDir(ctx.env));
  ctx.log.info(
    removed.length === 0 ? 'Nothing to clean.' : `Removed ${removed.length} cache folder(s):\n${removed.map((d) => `  ${d}`).join('\n')}`,
  );
  return ExitCode.ok;
}
