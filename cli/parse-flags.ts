import { parseArgs, type ParseArgsOptionsConfig } from 'node:util';
import type { FlagOptions } from '../lib/config/flags.js';
import type { RawArgs } from './flags.js';

/**
 * One task's flags, parsed with Node's own parser from the same declarations
 * the help shows (type, default, choices, required; `--no-<flag>` for booleans; an array
 * flag takes the words after it, as in `--only terraform terragrunt`). Strict: anything
 * unknown is an error ("Unknown argument: x"), which the usage error turns into a
 * suggestion. (yargs did this before, and loading it cost every task ~40 ms.) `check` sees
 * the names of the flags given on the command line (not the defaulted ones), before the
 * defaults fill in: where the task's flag rules (cli/flag-rules.ts) are applied.
 */
export function parseFlags(
  flags: Readonly<Record<string, FlagOptions>>,
  argv: string[],
  check: (given: ReadonlySet<string>) => void = () => undefined,
): RawArgs {
  const config: ParseArgsOptionsConfig = {};
  for (const [name, option] of Object.entries(flags))
    config[name] = option.type === 'boolean' ? { type: 'boolean' } : { type: 'string', multiple: option.type === 'array' };
  let tokens;
  try {
    ({ tokens } = parseArgs({ args: argv, options: config, strict: true, allowPositionals: true, allowNegative: true, tokens: true }));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '-*([^']+)'/.exec(message)?.[1];
    throw new Error(unknown === undefined ? message : `Unknown argument: ${unknown}`);
  }
  const given: Record<string, string | boolean | string[]> = {};
  let array: string | undefined;
  for (const token of tokens) {
    if (token.kind === 'option') {
      const value = flags[token.name]?.type === 'boolean' ? !token.rawName.startsWith('--no-') : token.value;
      given[token.name] = flags[token.name]?.type === 'array' ? [...listIn(given, token.name), String(value)] : (value ?? '');
      array = flags[token.name]?.type === 'array' ? token.name : undefined;
    } else if (token.kind === 'positional' && array !== undefined) {
      given[array] = [...listIn(given, array), token.value];
    } else if (token.kind === 'positional') {
      throw new Error(`Unknown argument: ${token.value}`);
    }
  }
  check(new Set(Object.keys(given)));
  return withDefaults(flags, given);
}

/** The declared defaults, then the checks: required flags given, values among the choices. */
function withDefaults(flags: Readonly<Record<string, FlagOptions>>, given: Readonly<Record<string, string | boolean | string[]>>): RawArgs {
  const args: Record<string, string | boolean | string[]> = {};
  for (const [name, option] of Object.entries(flags)) {
    const value = given[name] ?? option.default;
    if (value === undefined) {
      if (option.demandOption) throw new Error(`Missing required argument: ${name}`);
      continue;
    }
    const choices = option.choices;
    if (choices !== undefined && (typeof value !== 'string' || !choices.includes(value)))
      throw new Error(
        `Invalid value for --${name}: ${JSON.stringify(value)}; choices: ${choices.map((c) => JSON.stringify(c)).join(', ')}`,
      );
    args[name] = value;
  }
  return args;
}

function listIn(given: Readonly<Record<string, string | boolean | string[]>>, name: string): string[] {
  const list = given[name];
  return Array.isArray(list) ? list : [];
}
