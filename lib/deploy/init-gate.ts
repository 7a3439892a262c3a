import { glob } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskContext } from '../core/context.js';

/**
 * Whether terragrunt has initialised the unit: its working copy under .terragrunt-cache holds
 * installed providers. That is what terragrunt 0.99.2's auto-init looks at (providersNeedInit:
 * `.terraform/providers` or `.terraform/plugins`, beside the lock file), so a unit found
 * initialised here is planned without any `terraform init`.
 */
async function initialised(unitDir: string): Promise<boolean> {
  // The working copy is .terragrunt-cache/<hash>/<hash>[/<module dir for a //subdir source>].
  const patterns = ['*/*/.terraform/providers', '*/*/*/.terraform/providers'].map((p) => join(unitDir, '.terragrunt-cache', p));
  for await (const found of glob(patterns)) return found !== '';
  return false;
}

/** Runs a unit's first terragrunt command; see initGate. */
export interface InitGate {
  run<T>(unitDir: string, ctx: TaskContext, work: () => Promise<T>): Promise<T>;
}

/**
 * Terraform's provider plugin cache (TF_PLUGIN_CACHE_DIR, or plugin_cache_dir in the CLI
 * config) is not safe for concurrent `terraform init`: two inits installing the same provider
 * unpack into the same cache folder at once, and one fails the lock file's checksum
 * (hashicorp/terraform#31964; terraform's docs call concurrent use undefined). Units running side
 * by side would each auto-init at once on a first run. So the first command of a unit not yet
 * initialised (the one terragrunt auto-inits in) runs one at a time; initialised units (every
 * run after the first) pass straight through and run side by side. Not a separate `terragrunt
 * init`: a unit whose dependency allows mock outputs for plan only could not be initialised
 * before its dependency is applied, while the plan's own auto-init takes the mocks.
 */
export function initGate(): InitGate {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    run: async (unitDir, ctx, work) => {
      if (await initialised(unitDir)) return work();
      const turn = queue.then(() => {
        ctx.signal.throwIfAborted();
        return work();
      });
      // The next unit waits for this one to end, whether it failed or not (its failure is its unit's).
      queue = turn.catch(() => undefined);
      return turn;
    },
  };
}
