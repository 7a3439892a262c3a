import type { Options } from 'yargs';

/** What yargs hands over: each flag given on the command line by name (no defaults, see Flag). */
export type RawArgs = Readonly<Record<string, unknown>>;

/**
 * A flag as yargs declares it, plus how to read its typed value from the parsed arguments.
 * The default is applied by `read` and only shown by yargs (`defaultDescription`): a flag
 * yargs defaulted would count as given for `.conflicts()` and `.implies()`, so `--json` alone
 * would conflict with a defaulted `--format`.
 */
export interface Flag<T> extends Options {
  name: string;
  read(args: RawArgs): T;
}

export function booleanFlag(name: string, describe: string, byDefault = false): Flag<boolean> {
  return {
    name,
    type: 'boolean',
    describe,
    defaultDescription: byDefault ? 'true' : undefined,
    read: (args) => (byDefault ? args[name] !== false : args[name] === true),
  };
}

export function optionalString(name: string, describe: string): Flag<string | undefined> {
  return { name, type: 'string', describe, read: (args) => stringIn(args, name) };
}

export function requiredString(name: string, describe: string): Flag<string> {
  return {
    name,
    type: 'string',
    describe,
    demandOption: true,
    read: (args) => {
      const value = stringIn(args, name);
      // yargs refuses a missing required flag before any task reads it.
      if (value === undefined) throw new Error(`bug: --${name} is required but was not parsed`);
      return value;
    },
  };
}

export function stringWithDefault(name: string, describe: string, byDefault: string): Flag<string> {
  return { name, type: 'string', describe, defaultDescription: byDefault, read: (args) => stringIn(args, name) ?? byDefault };
}

export function choiceFlag<C extends string>(name: string, describe: string, choices: readonly C[], byDefault: C): Flag<C> {
  return {
    name,
    type: 'string',
    choices,
    describe,
    defaultDescription: byDefault,
    // yargs has checked the value against the choices.
    read: (args) => choices.find((c) => c === args[name]) ?? byDefault,
  };
}

/** A list: `--only terraform terragrunt` (the words after the flag). */
export function listFlag(name: string, describe: string): Flag<string[] | undefined> {
  return {
    name,
    type: 'array',
    string: true,
    describe,
    read: (args) => {
      const value = args[name];
      return Array.isArray(value) ? value.map(String) : undefined;
    },
  };
}

function stringIn(args: RawArgs, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' ? value : undefined;
}

/** The yargs options of one task's flags, by name (yargs reads only its own keys of each). */
export function flagSet(...flags: ReadonlyArray<Flag<unknown>>): Record<string, Options> {
  return Object.fromEntries(flags.map((f) => [f.name, f]));
}
