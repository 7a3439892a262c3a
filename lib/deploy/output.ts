import { appendFile } from 'node:fs/promises';
import type { Config } from '../config/load.js';
import type { TaskContext } from '../core/context.js';
import { prepareDeploy } from './prepare.js';
import { readDeployOutputs, verifyDeployment } from './verify.js';
import { ExitCode, TaskError } from '../core/errors.js';
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
  const rendered = formatOutputs(state.values, opts.format);
  if (opts.format === 'github') {
    const target = ctx.env.GITHUB_OUTPUT;
    if (!target)
      throw new TaskError('--format github needs GITHUB_OUTPUT, which GitHub Actions sets for each step.', {
        code: 'GITHUB_OUTPUT_UNSET',
        hint: 'Run it inside a GitHub Actions step, or use --format env > ecr.env.',
      });
    await appendFile(target, rendered);
    ctx.log.info(`Wrote ${Object.keys(state.values).length} outputs to $GITHUB_OUTPUT.`);
    return ExitCode.ok;
  }
  ctx.io.stdout.write(rendered);
  if (opts.format === 'text') ctx.log.info(`Gallery: ${galleryLink(opts.config.galleryUrl, state.values)}`);
  return ExitCode.ok;
}
