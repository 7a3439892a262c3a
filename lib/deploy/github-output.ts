// The one writer of the files GitHub Actions hands each step: $GITHUB_OUTPUT (the step's
// outputs) and $GITHUB_STEP_SUMMARY (the job's summary page). The tasks write them
// themselves, so a workflow step stays one task command.
import { randomUUID } from 'node:crypto';
import { appendFile } from 'node:fs/promises';
import type { TaskContext } from '../core/context.js';
import { ExitCode, TaskError } from '../core/errors.js';
import { unwritableReason } from '../os/file-target.js';

/** The environment variables that name a step's files. */
export type GithubFile = 'GITHUB_OUTPUT' | 'GITHUB_STEP_SUMMARY';

function unwritable(variable: GithubFile, problem: string, fix: string, cause?: unknown): TaskError {
  return new TaskError(`${variable} cannot be written: ${problem}.`, {
    code: 'GITHUB_FILE_UNWRITABLE',
    hint: `${fix}, or point ${variable} at a writable file (GitHub Actions sets it to one for each step).`,
    exitCode: ExitCode.config,
    ...(cause === undefined ? {} : { cause }),
  });
}

/**
 * The file `variable` names, checked before the task does anything, so a step with a bad
 * path fails at once rather than after its plans. `wanted` is the flag that asked for it.
 */
export async function githubFile(ctx: TaskContext, variable: GithubFile, wanted: string): Promise<string> {
  const target = ctx.env[variable];
  if (!target)
    throw new TaskError(`${wanted} needs ${variable}, which GitHub Actions sets for each step.`, {
      code: 'GITHUB_FILE_UNSET',
      hint: `Run it inside a GitHub Actions step, or leave out ${wanted}.`,
      exitCode: ExitCode.config,
    });
  const reason = await unwritableReason(target);
  if (reason !== undefined) throw unwritable(variable, reason.problem, reason.fix);
  return target;
}

/** Appends to a checked file; a failure now (the disk filled, the file went away) is reported the same way. */
async function append(variable: GithubFile, target: string, text: string): Promise<void> {
  try {
    await appendFile(target, text);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? String(error);
    throw unwritable(variable, `appending to ${target} failed (${code})`, 'Check the file and the space left on its disk', error);
  }
}

const outputName = /^[A-Za-z_][A-Za-z0-9_-]*$/;

/** Refuses a name GitHub would not take as an output (before the task runs). */
export function checkOutputName(name: string, flag: string): void {
  if (!outputName.test(name))
    throw new TaskError(
      `${flag} ${JSON.stringify(name)} is not an output name: letters, digits, _ and -, not starting with a digit or -.`,
      {
        code: 'GITHUB_OUTPUT_NAME',
        hint: `Give ${flag} a name such as report, and read it as steps.<id>.outputs.<name>.`,
        exitCode: ExitCode.config,
      },
    );
}

/**
 * GitHub's forms: `name=value` for a one-line value; `name<<delimiter`, the lines, then the
 * delimiter for a value of several lines. The delimiter is random for each value, so no
 * value (a plan summary shows terraform's errors) can end the block early and set other outputs.
 */
export function githubOutputText(values: Readonly<Record<string, string>>): string {
  return Object.entries(values)
    .map(([name, value]) => {
      if (!outputName.test(name)) throw new Error(`bug: ${JSON.stringify(name)} is not a GitHub output name`);
      if (!/[\r\n]/.test(value)) return `${name}=${value}\n`;
      let delimiter = `ghadelimiter_${randomUUID()}`;
      while (value.includes(delimiter)) delimiter = `ghadelimiter_${randomUUID()}`;
      return `${name}<<${delimiter}\n${value}\n${delimiter}\n`;
    })
    .join('');
}

/** Appends the outputs to the $GITHUB_OUTPUT that githubFile checked. */
export async function writeGithubOutputs(ctx: TaskContext, target: string, values: Readonly<Record<string, string>>): Promise<void> {
  await append('GITHUB_OUTPUT', target, githubOutputText(values));
  ctx.log.info(`Wrote ${Object.keys(values).join(', ')} to $GITHUB_OUTPUT.`);
}

/** Appends Markdown to the job summary ($GITHUB_STEP_SUMMARY, checked by githubFile). */
export async function appendStepSummary(ctx: TaskContext, target: string, markdown: string): Promise<void> {
  await append('GITHUB_STEP_SUMMARY', target, markdown.endsWith('\n') ? markdown : `${markdown}\n`);
  ctx.log.info('Wrote the summary to $GITHUB_STEP_SUMMARY.');
}
