import { resolve } from 'node:path';
import type { TaskContext } from '../../lib/core/context.js';
import { ExitCode, TaskError } from '../../lib/core/errors.js';
import { replaceFile, unwritableReason } from '../../lib/os/file-target.js';
import { operatorDir } from '../../lib/os/operator-dir.js';
import { githubFile } from '../../lib/deploy/github-output.js';
import type { OutputFormat } from '../../lib/deploy/outputs.js';

/** Where `output` puts the values: $GITHUB_OUTPUT, or rendered to stdout or to the --out-file. */
export type OutputDestination =
  { kind: 'github'; path: string } | { kind: 'rendered'; format: Exclude<OutputFormat, 'github'>; file: string | undefined };

/**
 * The destination of `--format` and `--out-file`, checked before any AWS call: a path that is
 * a directory, or in a folder that does not exist, is bad input. A relative --out-file is
 * taken from the folder npm was run in, as a shell redirect would be.
 */
export async function outputDestination(format: OutputFormat, outFile: string | undefined, ctx: TaskContext): Promise<OutputDestination> {
  if (format === 'github') {
    if (outFile !== undefined)
      throw new TaskError('--out-file and --format github both say where the outputs go.', {
        code: 'OUTPUT_DESTINATION',
        hint: 'Use one: --format github appends to $GITHUB_OUTPUT; --format env --out-file ecr.env writes a file.',
        exitCode: ExitCode.config,
      });
    return { kind: 'github', path: await githubFile(ctx, 'GITHUB_OUTPUT', '--format github') };
  }
  if (outFile === undefined) return { kind: 'rendered', format, file: undefined };
  const file = resolve(operatorDir(ctx.env), outFile);
  const reason = await unwritableReason(file);
  if (reason !== undefined)
    throw new TaskError(`--out-file ${outFile} cannot be written: ${reason.problem}.`, {
      code: 'OUT_FILE_UNWRITABLE',
      hint: `${reason.fix}, or give --out-file another path. Nothing was read from AWS.`,
      exitCode: ExitCode.config,
    });
  return { kind: 'rendered', format, file };
}

/** Prints the rendered outputs, or replaces the --out-file with them (a reader never sees half a file). */
export async function writeRendered(ctx: TaskContext, file: string | undefined, text: string): Promise<void> {
  if (file === undefined) {
    ctx.io.stdout.write(text);
    return;
  }
  try {
    await replaceFile(file, text);
  } catch (error) {
    throw new TaskError(`Writing ${file} failed (${(error as NodeJS.ErrnoException).code ?? String(error)}).`, {
      code: 'OUT_FILE_UNWRITABLE',
      hint: "Check the file's folder and the space left on its disk, or give --out-file another path.",
      cause: error,
    });
  }
  ctx.log.info(`Wrote ${file}.`);
}
