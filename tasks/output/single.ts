import type { Config } from '../../lib/config/load.js';
import type { TaskContext } from '../../lib/core/context.js';
import { prepareDeploy } from '../../lib/deploy/prepare.js';
import { readVerifiedUnit } from '../../lib/deploy/unit-kinds.js';
import { ExitCode } from '../../lib/core/errors.js';
import { writeGithubOutputs } from '../../lib/deploy/github-output.js';
import { outputDestination, writeRendered } from './destination.js';
import { formatOutputs, type OutputFormat } from '../../lib/deploy/outputs.js';

export interface OutputOptions {
  config: Config;
  /** text for people, json for tools, env for `source`-able files, github for $GITHUB_OUTPUT. */
  format: OutputFormat;
  /** Write the rendered outputs to this file instead of stdout (relative to the folder npm was run in). */
  outFile?: string | undefined;
}

/**
 * Prints the unit's values, verified against AWS as its module calls for: ALIAS, ACCOUNT_ID and
 * REPOSITORY_* for the repository unit, ROLE_ARN and ROLE_NAME for the push role's, the role and
 * boundary ARNs for the CI roles' (lib/deploy/unit-kinds.ts).
 */
export async function showOutputs(opts: OutputOptions, ctx: TaskContext): Promise<number> {
  const destination = await outputDestination(opts.format, opts.outFile, ctx);
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const unit = await readVerifiedUnit(dc, ctx);
  if (destination.kind === 'github') {
    await writeGithubOutputs(ctx, destination.path, unit.values);
    return ExitCode.ok;
  }
  await writeRendered(ctx, destination.file, formatOutputs(unit.values, destination.format));
  if (destination.format === 'text' && unit.footer !== '') ctx.log.info(unit.footer.trimEnd());
  return ExitCode.ok;
}
