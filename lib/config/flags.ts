import type { Overrides } from './load.js';
import { settings } from './settings.js';

/** How a flag is declared, once, for the parser (tasks/parse-flags.ts) and the help (tasks/help.ts). */
export interface FlagOptions {
  type?: 'string' | 'boolean' | 'array';
  default?: string | boolean;
  describe: string;
  choices?: readonly string[];
  demandOption?: boolean;
}

/** The flag of every setting: the help shows the environment twin and the default. */
export function settingFlags(): Record<string, FlagOptions> {
  return Object.fromEntries(
    settings.map((s) => [
      s.flag,
      {
        type: 'string',
        describe: `${s.description} [env: ${s.env}]${s.default === undefined ? '' : ` [default: ${s.default}]`}`,
      } satisfies FlagOptions,
    ]),
  );
}

/** Picks the settings given as flags; unset flags stay undefined so the environment applies. */
export function overridesFrom(args: Readonly<Record<string, unknown>>): Overrides {
  const overrides: Overrides = {};
  for (const s of settings) {
    const value = args[s.flag];
    if (typeof value === 'string') overrides[s.key] = value;
  }
  return overrides;
}

/**
 * These settings as their environment twins: how a task hands the settings it was given on to
 * the tasks it runs, as their standing configuration (a flag given to those runs still wins).
 */
export function settingEnv(overrides: Overrides): Record<string, string> {
  return Object.fromEntries(
    settings.flatMap((s) => {
      const value = overrides[s.key];
      return value === undefined ? [] : [[s.env, value] as const];
    }),
  );
}
