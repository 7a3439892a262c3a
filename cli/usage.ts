import { envFileFlag } from '../lib/config/dotenv-file.js';
import { settingFlags } from '../lib/config/flags.js';
import { nearest } from '../lib/core/edit-distance.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import { globalFlags, tasks } from './registry.js';
import { suggestFlag } from './suggest.js';

function usage(message: string, hint: string): TaskError {
  return new TaskError(message, { code: 'USAGE', hint, exitCode: ExitCode.config });
}

const taskList = (): string => `Tasks: ${Object.keys(tasks).join(', ')}.`;

/**
 * The task named on the command line (npm run <task> puts it first), or undefined when
 * only --help is asked for. Anything else is a usage error that lists the tasks.
 */
export function taskFrom(argv: readonly string[]): string | undefined {
  const name = argv[0];
  if (name === undefined || name.startsWith('-')) {
    if (argv.includes('--help') || argv.includes('-h')) return undefined;
    throw usage('Name a task: npm run <task> -- [flags]', taskList());
  }
  if (Object.hasOwn(tasks, name)) return name;
  const near = nearest(name, Object.keys(tasks));
  const guess = near && near.distance <= 2 ? `Did you mean npm run ${near.candidate}? ` : '';
  throw usage(`Unknown task "${name}"`, `${guess}${taskList()}`);
}

/**
 * The value of `--env-file`, read before the flags are parsed: the file it names provides the
 * settings (and the environment the whole run sees), so it is read first. It reads what the
 * strict parser reads: `--env-file <path>` or `--env-file=<path>`, the last one given wins, and
 * nothing after `--` is a flag. A missing or empty path is a usage error here, before any file is read.
 */
export function envFileArgument(argv: readonly string[]): string | undefined {
  const flag = `--${envFileFlag}`;
  let value: string | undefined;
  for (let i = 0; i < argv.length && argv[i] !== '--'; i++) {
    const arg = argv[i] ?? '';
    if (arg.startsWith(`${flag}=`)) value = arg.slice(flag.length + 1);
    else if (arg === flag) {
      // As the parser: a next word that looks like a flag is not taken as the value.
      const next = argv[i + 1];
      value = next === undefined || (next.length > 1 && next.startsWith('-')) ? '' : next;
      i++;
    } else continue;
    if (value === '')
      throw usage(
        `${flag} needs the path of a settings file`,
        `e.g. npm run plan -- ${flag} .env.staging (${flag}=<path> for a path that starts with -)`,
      );
  }
  return value;
}

/** The flags one task takes: the settings, the global ones and its own (never another task's). */
function flagsOf(task: string): string[] {
  return [...Object.keys(settingFlags()), ...Object.keys(globalFlags), 'help', ...Object.keys(tasks[task]?.flags ?? {})];
}

/** A parse failure of `task`'s flags as a usage error, with the nearest flag of that task. */
export function usageError(error: unknown, task: string): TaskError {
  // A broken flag rule is already worded, with its own fix.
  if (error instanceof TaskError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return usage(message, suggestFlag(message, flagsOf(task)) ?? `See npm run ${task} -- --help`);
}
