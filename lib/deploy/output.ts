import type { Config } from '../config/load.js';
import type { TaskContext } from '../core/context.js';
import { prepareDeploy } from './prepare.js';
import { readDeployOutputs, verifyDeployment } from './verify.js';
import { ExitCode } from '../core/errors.js';
import { writeGithubOutput } from './github-output.js';
import { formatOutputs, galleryLink, type OutputFormat } from './outputs.js';

export interface OutputOptions {
  config: Config;
  /** text for people, json for tools, env for `source`-able files, github for $GITHUB_OUTPUT. */
  format: OutputFormat;
}

/** Prints ALIAS, ACCOUNT_ID, REPOSITORY_NAME, REPOSITORY_ARN and REPOSITORY_URI, verified against ECR Public. */
export async function showOutputs(opts: OutputOptions, ctx: TaskContext): Promise<number> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const state = await readDeployOutputs(dc, ctx);
  await verifyDeployment(dc, state);
  if (opts.format === 'github') {
    await writeGithubOutput(ctx, state.values);
    return ExitCode.ok;
  }
  const rendered = formatOutputs(state.values, opts.format);
  ctx.io.stdout.write(rendered);
  if (opts.format === 'text') ctx.log.info(`Gallery: ${galleryLink(opts.config.galleryUrl, state.values)}`);
  return ExitCode.ok;
}
