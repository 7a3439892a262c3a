import type { Options } from 'yargs';
import type { Overrides } from '../lib/config/load.js';
import { settings } from '../lib/config/settings.js';

/**
 * The flag of every setting, from the settings table: a string with its environment twin in
 * the text and the table's default shown in the help. yargs is not given the default itself:
 * a default would read as a flag given on the command line and beat the environment and the
 * env file, where loadConfig applies flag > environment > env file > default.
 */
export function settingOptions(): Record<string, Options> {
  return Object.fromEntries(
    settings.map((s) => [
      s.flag,
      { type: 'string', describe: `${s.description} [env: ${s.env}]`, defaultDescription: s.default } satisfies Options,
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
