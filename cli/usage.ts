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

/** The flags one task takes: the settings, the global ones and its own (never another task's). */
function flagsOf(task: string): string[] {
  return [...Object.keys(settingFlags()), ...Object.keys(globalFlags), 'help', ...Object.keys(tasks[task]?.flags ?? {})];
}

/** A parse failure of `task`'s flags as a usage error, with the nearest flag of that task. */
export function usageError(error: unknown, task: string): TaskError {
  const message = error instanceof Error ? error.message : String(error);
  return usage(message, suggestFlag(message, flagsOf(task)) ?? `See npm run ${task} -- --help`);
}
