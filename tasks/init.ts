import type { Config } from '../lib/config/load.js';
import type { TaskContext } from '../lib/core/context.js';
import { prepareDeploy } from '../lib/deploy/prepare.js';
import { invokeTerragrunt } from '../lib/terragrunt/invoke.js';

export interface InitOptions {
  config: Config;
}

/** Creates and hardens the state bucket (the tasks own it), then `terragrunt init` without any bootstrap. */
export async function run(opts: InitOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'converge');
  const report = dc.bucket;
  if (report) {
    const what = report.created ? 'created' : 'found';
    const changed = report.changed.length === 0 ? 'already hardened, nothing written' : `set ${report.changed.join(', ')}`;
    ctx.log.info(
      `State bucket ${opts.config.stateBucket}: ${what}; ${changed} (${report.requests.reads} reads, ${report.requests.writes} writes).`,
    );
  }
  const result = await invokeTerragrunt(dc, ctx, { kind: 'init' });
  return result.exitCode;
}
