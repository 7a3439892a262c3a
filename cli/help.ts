import { settingFlags, type FlagOptions } from '../lib/config/flags.js';
import { globalFlags, tasks } from './registry.js';

/** What follows a flag's description: its choices or type, whether it is required, and its default. */
function extras(option: FlagOptions): string {
  const parts = [
    option.choices
      ? `[choices: ${(option.choices as unknown[]).map((c) => JSON.stringify(c)).join(', ')}]`
      : `[${option.type ?? 'string'}]`,
    ...(option.demandOption ? ['[required]'] : []),
    ...(option.default === undefined ? [] : [`[default: ${String(option.default)}]`]),
  ];
  return parts.join(' ');
}

function section(title: string, flags: Record<string, FlagOptions>): string[] {
  const entries = Object.entries(flags);
  if (entries.length === 0) return [];
  const width = Math.max(...entries.map(([n]) => n.length)) + 2;
  return ['', title, ...entries.map(([name, option]) => `  --${name.padEnd(width)} ${option.describe}  ${extras(option)}`)];
}

/**
 * `--help`, written from the same declarations the flags are parsed with (the task registry
 * and the settings): help is the most frequent call and should cost
 * little more than Node starting. One line per flag; the terminal wraps long ones.
 */
export function helpText(task: string | undefined): string {
  const entry = task === undefined ? undefined : tasks[task];
  const head =
    task === undefined || entry === undefined
      ? ['npm run <task> -- [flags]', '', 'Tasks:', ...Object.entries(tasks).map(([name, t]) => `  ${name.padEnd(10)} ${t.describe}`)]
      : [`npm run ${task} -- [flags]`, '', entry.describe];
  const help: Record<string, FlagOptions> = { help: { type: 'boolean', describe: 'Show this help' } };
  return [
    ...head,
    ...section(`Flags of ${task ?? 'the task'}:`, entry?.flags ?? {}),
    ...section('Global flags:', { ...globalFlags, ...help }),
    ...section('Settings (flag > environment > .env or the --env-file file > default):', settingFlags()),
    '',
  ].join('\n');
}
