import type { Options } from 'yargs';
import { settingFlags } from '../lib/config/flags.js';
import { globalFlags, tasks } from './registry.js';

/** What yargs would show after a flag's description: its choices or type, and its default. */
function extras(option: Options): string {
  const parts = [
    option.choices
      ? `[choices: ${(option.choices as unknown[]).map((c) => JSON.stringify(c)).join(', ')}]`
      : `[${option.type ?? 'string'}]`,
    ...(option.demandOption ? ['[required]'] : []),
    ...(option.default === undefined ? [] : [`[default: ${String(option.default)}]`]),
  ];
  return parts.join(' ');
}

function section(title: string, flags: Record<string, Options>): string[] {
  const names = Object.keys(flags);
  if (names.length === 0) return [];
  const width = Math.max(...names.map((n) => n.length)) + 2;
  return ['', title, ...names.map((name) => `  --${name.padEnd(width)} ${flags[name]?.describe ?? ''}  ${extras(flags[name] ?? {})}`)];
}

/**
 * `--help`, written from the same declarations yargs parses with (the task registry and
 * the settings), without loading yargs: help is the most frequent call and should cost
 * little more than Node starting. One line per flag; the terminal wraps long ones.
 */
export function helpText(task: string | undefined): string {
  const entry = task === undefined ? undefined : tasks[task];
  const head =
    task === undefined || entry === undefined
      ? ['npm run <task> -- [flags]', '', 'Tasks:', ...Object.entries(tasks).map(([name, t]) => `  ${name.padEnd(10)} ${t.describe}`)]
      : [`npm run ${task} -- [flags]`, '', entry.describe];
  const help: Record<string, Options> = { help: { type: 'boolean', describe: 'Show this help' } };
  return [
    ...head,
    ...section(`Flags of ${task ?? 'the task'}:`, entry?.flags ?? {}),
    ...section('Global flags:', { ...globalFlags, ...help }),
    ...section('Settings (flag > environment > .env > default):', settingFlags()),
    '',
  ].join('\n');
}
