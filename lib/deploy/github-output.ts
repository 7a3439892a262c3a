import { appendFile } from 'node:fs/promises';
import type { TaskContext } from '../core/context.js';
import { TaskError } from '../core/errors.js';
import { formatOutputs } from './outputs.js';

/** `--format github`: appends the KEY=value lines to $GITHUB_OUTPUT, which GitHub Actions sets for each step. */
export async function writeGithubOutput(ctx: TaskContext, values: Readonly<Record<string, string>>): Promise<void> {
  const target = ctx.env.GITHUB_OUTPUT;
  if (!target)
    throw new TaskError('--format github needs GITHUB_OUTPUT, which GitHub Actions sets for each step.', {
      code: 'GITHUB_OUTPUT_UNSET',
      hint: 'Run it inside a GitHub Actions step, or use --format env > ecr.env.',
    });
  await appendFile(target, formatOutputs(values, 'github'));
  ctx.log.info(`Wrote ${Object.keys(values).length} outputs to $GITHUB_OUTPUT.`);
}
