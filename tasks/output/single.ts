import type { Config } from '../../lib/config/load.js';
import type { TaskContext } from '../../lib/core/context.js';
import { prepareDeploy } from '../../lib/deploy/prepare.js';
import { readDeployOutputs, verifyDeployment } from '../../lib/deploy/verify.js';
import { ExitCode } from '../../lib/core/errors.js';
import { writeGithubOutputs } from '../../lib/deploy/github-output.js';
import { outputDestination, writeRendered } from './destination.js';
import { formatOutputs, galleryLink, type OutputFormat } from '../../lib/deploy/outputs.js';

export interface OutputOptions {
  config: Config;
  /** text for people, json for tools, env for `source`-able files, github for $GITHUB_OUTPUT. */
  format: OutputFormat;
  /** Write the rendered outputs to this file instead of stdout (relative to the folder npm was run in). */
  outFile?: string | undefined;
}

/** Prints ALIAS, ACCOUNT_ID, REPOSITORY_NAME, REPOSITORY_ARN and REPOSITORY_URI, verified against ECR Public. */
export async function showOutputs(opts: OutputOptions, ctx: TaskContext): Promise<number> {
  const destination = await outputDestination(opts.format, opts.outFile, ctx);
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const state = await readDeployOutputs(dc, ctx);
  await verifyDeployment(dc, state);
  if (destination.kind === 'github') {
    await writeGithubOutputs(ctx, destination.path, state.values);
    return ExitCode.ok;
  }
  await writeRendered(ctx, destination.file, formatOutputs(state.values, destination.format));
  if (destination.format === 'text') ctx.log.info(`Gallery: ${galleryLink(opts.config.galleryUrl, state.values)}`);
  return ExitCode.ok;
}
