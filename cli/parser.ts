import yargs, { type Argv } from '#yargs';
import { nearest } from '../lib/core/edit-distance.js';
import type { TaskRunner } from '../lib/core/context.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import { envFileFlag } from '../lib/config/env-file-names.js';
import type { RawArgs } from './flags.js';
import { applyRules, checkShellTwins, joinRules } from './flag-rules.js';
import { globalFlags, globalRules, tasks, type TaskEntry } from './registry.js';
import { settingOptions } from './setting-flags.js';

/** What the command line asks for: the help text, or a task with its flags. */
export type CommandLine = { help: string } | { help: undefined; name: string; entry: TaskEntry; args: RawArgs };

const settingsGroup = 'Settings (flag > environment > .env or the --env-file file > default):';

/**
 * yargs's messages in our words. Plural messages are `{ one, other }` in yargs's own locale
 * (locales/en.json); @types/yargs types every value as a string, hence the cast.
 */
const strings = {
  'Commands:': 'Tasks:',
  'Show help': 'Show this help',
  'Did you mean %s?': 'Did you mean npm run %s?',
  'Unknown command: %s': { one: 'Unknown task "%s"', other: 'Unknown tasks "%s"' },
  'Too many non-option arguments: got %s, maximum of %s': {
    one: "%s word after the task is neither a flag nor a flag's value (at most %s)",
    other: "%s words after the task are neither flags nor flags' values (at most %s)",
  },
  'Arguments %s and %s are mutually exclusive': '--%s and --%s cannot be used together: they have no meaning together, and nothing was run',
  'Implications failed:': 'A flag was given without the flag it needs (given -> needed), so nothing was run:',
} as unknown as Record<string, string>;

function usage(message: string, hint: string): TaskError {
  return new TaskError(message, { code: 'USAGE', hint, exitCode: ExitCode.config });
}

const taskList = (): string => `Tasks: ${Object.keys(tasks).join(', ')}.`;

/**
 * The nearest flag of `task` to a `--flag` it does not take. yargs suggests only commands
 * (`.recommendCommands()`), never options, so this one is ours: the same distance as the
 * .env checks, over this task's flags only (never another task's).
 */
function nearestFlag(argv: readonly string[], task: string): string | undefined {
  const known = [...Object.keys(settingOptions()), ...Object.keys(globalFlags), 'help', ...Object.keys(tasks[task]?.flags ?? {})];
  for (const word of argv) {
    const name = /^--(?:no-)?([^=]+)/.exec(word)?.[1];
    if (name === undefined || known.includes(name)) continue;
    const best = nearest(name, known);
    if (best && best.distance <= Math.max(2, Math.floor(best.candidate.length / 3))) return `Did you mean --${best.candidate}?`;
  }
  return undefined;
}

/** A yargs failure as our bad-input error, with the fix: the nearest task or flag, or where the flags are listed. */
function usageError(message: string, argv: readonly string[]): TaskError {
  // yargs words some failures over several lines (choices, implications): one line here.
  const oneLine = message.replace(/\s*\n\s*/g, ' ');
  const word = argv[0];
  if (word === undefined || word.startsWith('-')) return usage(oneLine, taskList());
  if (!Object.hasOwn(tasks, word)) {
    const unknown = `Unknown task "${word}"`;
    // yargs's message is that, or its recommendation (Did you mean npm run apply?).
    return usage(unknown, oneLine === unknown ? taskList() : `${oneLine} ${taskList()}`);
  }
  return usage(oneLine, nearestFlag(argv, word) ?? `npm run ${word} -- --help lists the flags of ${word} and what each does.`);
}

/** One task's command: its flags, its rules (yargs's and the shell-twin check), its help. */
function taskCommand(name: string, shell: NodeJS.ProcessEnv): (y: Argv) => Argv {
  const entry = tasks[name];
  return (y) => {
    if (entry === undefined) return y;
    const rules = joinRules(globalRules, entry.rules);
    return applyRules(
      y
        .usage(`npm run ${name} -- [flags]\n\n${entry.describe}`)
        .options(entry.flags)
        .group(Object.keys(entry.flags), `Flags of ${name}:`)
        // Every word after the task is a flag or a flag's value, `--` included: a stray word is an error.
        .demandCommand(0, 0)
        .check((args) => {
          checkShellTwins(rules, args, shell, name);
          if (args[envFileFlag] === '')
            throw usage(
              `--${envFileFlag} needs the path of a settings file`,
              `e.g. npm run plan -- --${envFileFlag} .env.staging (--${envFileFlag}=<path> for a path that starts with -)`,
            );
          return true;
        }),
      rules,
    );
  };
}

/**
 * The yargs parser of the whole CLI: one command per task of the registry, the settings and
 * the global flags on every task, strict (unknown tasks, flags and words are errors). `shell`
 * is the environment before the env file is merged in (see checkShellTwins).
 */
function commandLineParser(argv: readonly string[], shell: NodeJS.ProcessEnv): Argv {
  const settingFlags = settingOptions();
  let y = yargs([...argv])
    .scriptName('npm run')
    .usage('npm run <task> -- [flags]')
    .updateStrings(strings)
    .parserConfiguration({
      // Flags as written: no camelCase twins, no a.b objects, numbers kept as text, the last of a repeated flag wins.
      'camel-case-expansion': false,
      'dot-notation': false,
      'parse-numbers': false,
      'parse-positional-numbers': false,
      'duplicate-arguments-array': false,
    })
    .options(settingFlags)
    .options(globalFlags)
    .group(Object.keys(settingFlags), settingsGroup)
    .group([...Object.keys(globalFlags), 'help'], 'Global flags:')
    .help('help')
    .alias('help', 'h')
    .version(false)
    .wrap(process.stdout.isTTY ? process.stdout.columns : null)
    .strict()
    .strictCommands()
    .recommendCommands()
    .demandCommand(1, 'Name a task: npm run <task> -- [flags]')
    .exitProcess(false)
    .fail((message: string | undefined, error: Error | undefined) => {
      // Our own checks throw worded errors; a bug stays a bug.
      if (error !== undefined && error.name !== 'YError') throw error;
      throw usageError(message ?? error?.message ?? 'bad arguments', argv);
    });
  for (const [name, entry] of Object.entries(tasks)) y = y.command(name, entry.describe, taskCommand(name, shell));
  return applyRules(y, globalRules);
}

/**
 * Parses the command line with yargs, or throws the bad-input error (64) naming the fix.
 * `--help` (or `-h`) gives the help of the task named, or of the whole CLI, unvalidated and
 * with no file read: a broken `.env` never stands in the way of help.
 */
export function parseCommandLine(argv: readonly string[], shell: NodeJS.ProcessEnv): CommandLine {
  let help = '';
  // With a callback, yargs hands the help over instead of printing it (and never exits).
  const args = commandLineParser(argv, shell).parseSync([...argv], {}, (_error, _args, output) => {
    help = output;
  });
  if (args.help === true) return { help: `${help}\n` };
  const name = String(args._[0]);
  const entry = tasks[name];
  if (entry === undefined) throw new Error(`bug: yargs accepted the unknown task ${name}`);
  return { help: undefined, name, entry, args };
}

/**
 * Runs a task in this process as `npm run <name> -- <flags>` would: its command line parsed
 * and checked by the same parser, then started by its registry entry. Only the flags count as
 * given (an empty shell): the environment is the composing task's standing configuration.
 */
export const runTask: TaskRunner = (argv, ctx) => {
  const line = parseCommandLine(argv, {});
  if (line.help !== undefined) throw new Error(`bug: a composed run asked for help: ${argv.join(' ')}`);
  return line.entry.start(line.args, ctx, runTask);
};
