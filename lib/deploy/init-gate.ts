import { glob } from 'node:fs/promises';
import { join } from 'node:path';
import type { TaskContext } from '../core/context.js';
import { invokeTerragrunt } from '../terragrunt/invoke.js';
import type { DeployContext } from './prepare.js';

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

/** Lets a unit's terragrunt commands start once the unit is initialised; see initGate. */
export interface InitGate {
  ready(udc: DeployContext, ctx: TaskContext): Promise<void>;
}

/**
 * Terraform's provider plugin cache (TF_PLUGIN_CACHE_DIR, or plugin_cache_dir in the CLI
 * config) is not safe for concurrent `terraform init`: two inits installing the same provider
 * unpack into the same cache folder at once, and one fails the lock file's checksum
 * (hashicorp/terraform#31964; terraform's docs call concurrent use undefined). Units running side
 * by side would each auto-init at once on a first run. So a unit not yet initialised is
 * initialised here, explicitly, one unit at a time; its plan then finds it initialised and
 * terragrunt runs no init of its own. Initialised units (every run after the first) pass
 * straight through and run side by side.
 */
export function initGate(): InitGate {
  let queue: Promise<unknown> = Promise.resolve();
  return {
    ready: async (udc, ctx) => {
      if (await initialised(udc.unitDir)) return;
      const turn = queue.then(async () => {
        ctx.signal.throwIfAborted();
        await invokeTerragrunt(udc, ctx, { kind: 'init' });
      });
      // The next unit waits for this init to end, whether it failed or not (its own failure is its unit's).
      queue = turn.catch(() => undefined);
      await turn;
    },
  };
}
