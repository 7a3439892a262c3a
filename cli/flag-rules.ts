import type { Argv } from 'yargs';
import { settings } from '../lib/config/settings.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import type { RawArgs } from './flags.js';

/**
 * Which flags of a task have no meaning together, and which flag needs another. Declared per
 * task as data, each pair one call of yargs's `.conflicts(a, b)` or `.implies(a, b)`, checked
 * by yargs before the settings are read or the task's code is loaded: a flag that would be
 * ignored can widen a change (`destroy --all --unit X` would destroy every unit).
 */
export interface FlagRules {
  /** Pairs that must not be given together. */
  conflicts?: ReadonlyArray<readonly [string, string]>;
  /** `[a, b]`: giving `a` needs `b` too. */
  implies?: ReadonlyArray<readonly [string, string]>;
}

/** Both rule sets in one: the global flags' and a task's own. */
export function joinRules(...sets: readonly FlagRules[]): FlagRules {
  return { conflicts: sets.flatMap((s) => s.conflicts ?? []), implies: sets.flatMap((s) => s.implies ?? []) };
}

/** The rules as yargs's own checks on a task's command. */
export function applyRules<T>(y: Argv<T>, rules: FlagRules): Argv<T> {
  for (const [a, b] of rules.conflicts ?? []) y.conflicts(a, b);
  for (const [a, b] of rules.implies ?? []) y.implies(a, b);
  return y;
}

/**
 * A conflict with a setting's environment twin set in the shell: `DEPLOY_UNIT=x npm run
 * destroy -- --all` asks for one unit exactly as `--unit x` does. yargs cannot see this: its
 * `.env(prefix)` maps variables of one prefix read from `process.env`, while the twins have
 * several (AWS_, DEPLOY_) and only the shell's value counts, not the env file's (.env.example
 * sets DEPLOY_UNIT, the standing unit whose outputs `--all` reads and verifies, not a
 * narrowing of this run). A flag given on the command line is yargs's to refuse; this check
 * covers the pairs where one side comes from the shell. Throws the bad-input error (64).
 */
export function checkShellTwins(rules: FlagRules, args: RawArgs, shell: NodeJS.ProcessEnv, task: string): void {
  const given = (flag: string): string | undefined => {
    if (args[flag] !== undefined) return `--${flag}`;
    const twin = settings.find((s) => s.flag === flag)?.env;
    const value = twin === undefined ? undefined : shell[twin];
    return value === undefined || value === '' ? undefined : `${twin} (set in the environment)`;
  };
  for (const [a, b] of rules.conflicts ?? []) {
    const first = given(a);
    const second = given(b);
    if (first === undefined || second === undefined || (first.startsWith('--') && second.startsWith('--'))) continue;
    throw new TaskError(`${first} and ${second} cannot be used together: they have no meaning together, and nothing was run`, {
      code: 'USAGE',
      hint: `Give only one of them (npm run ${task} -- --help says what each does); a setting meant for every run belongs in .env (or the --env-file file), where it does not conflict.`,
      exitCode: ExitCode.config,
    });
  }
}
