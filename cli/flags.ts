import type { FlagOptions } from '../lib/config/flags.js';

/** What the parser hands over: each given (or defaulted) flag by name. */
export type RawArgs = Readonly<Record<string, string | boolean | string[] | undefined>>;

/** A flag as the parser and the help see it, plus how to read its typed value from the parsed arguments. */
export interface Flag<T> extends FlagOptions {
  name: string;
  read(args: RawArgs): T;
}

export function booleanFlag(name: string, describe: string, byDefault = false): Flag<boolean> {
  return { name, type: 'boolean', default: byDefault, describe, read: (args) => args[name] === true };
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
      // The parser refuses a missing required flag before any task reads it.
      if (value === undefined) throw new Error(`bug: --${name} is required but was not parsed`);
      return value;
    },
  };
}

export function stringWithDefault(name: string, describe: string, byDefault: string): Flag<string> {
  return { name, type: 'string', default: byDefault, describe, read: (args) => stringIn(args, name) ?? byDefault };
}

export function choiceFlag<C extends string>(name: string, describe: string, choices: readonly C[], byDefault: C): Flag<C> {
  return {
    name,
    type: 'string',
    choices,
    default: byDefault,
    describe,
    // The parser has checked the value against the choices.
    read: (args) => choices.find((c) => c === args[name]) ?? byDefault,
  };
}

export function listFlag(name: string, describe: string): Flag<string[] | undefined> {
  return {
    name,
    type: 'array',
    describe,
    read: (args) => {
      const value = args[name];
      return Array.isArray(value) ? value : undefined;
    },
  };
}

function stringIn(args: RawArgs, name: string): string | undefined {
  const value = args[name];
  return typeof value === 'string' ? value : undefined;
}

/** The flags of one task by name, for the parser and the help. */
export function flagSet(...flags: ReadonlyArray<Flag<unknown>>): Record<string, FlagOptions> {
  return Object.fromEntries(flags.map((f) => [f.name, f]));
}
