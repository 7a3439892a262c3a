import { settings } from '../lib/config/settings.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';

/**
 * Which flags of a task have no meaning together, and which flag needs another. Declared per
 * task as data, each pair one call of yargs's `.conflicts(a, b)` or `.implies(a, b)`, and
 * checked before the settings are read or the task's code is loaded: a flag that would be
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

/**
 * How each flag that counts was given: `--unit` on the command line, or `DEPLOY_UNIT (set in
 * the environment)` for a setting's twin. Flags at their default are not given.
 */
export type GivenFlags = ReadonlyMap<string, string>;

/**
 * The flags given on the command line, and the settings whose environment twin is set (not
 * empty) in the environment the task was started with: `DEPLOY_UNIT=x npm run destroy -- --all`
 * asks for one unit exactly as `--unit x` does, so it conflicts the same way. A value from
 * `.env` or the `--env-file` file does not count: that file is the standing configuration of
 * every run (.env.example sets DEPLOY_UNIT, so nearly every .env has it), where DEPLOY_UNIT
 * names the repository unit whose outputs `--all` reads and verifies, not a narrowing of
 * this run. `shell` must be the environment before the file is merged in.
 */
export function givenFlags(onCommandLine: ReadonlySet<string>, shell: NodeJS.ProcessEnv): GivenFlags {
  const given = new Map<string, string>();
  for (const s of settings) {
    const value = shell[s.env];
    if (value !== undefined && value !== '') given.set(s.flag, `${s.env} (set in the environment)`);
  }
  for (const name of onCommandLine) given.set(name, `--${name}`);
  return given;
}

function bad(message: string, hint: string): TaskError {
  return new TaskError(message, { code: 'USAGE', hint, exitCode: ExitCode.config });
}

/** Throws the bad-input error (64) for the first rule the given flags break, naming both flags. */
export function checkFlagRules(rules: FlagRules, given: GivenFlags, task: string): void {
  for (const [a, b] of rules.conflicts ?? []) {
    const first = given.get(a);
    const second = given.get(b);
    if (first === undefined || second === undefined) continue;
    const fromShell = [first, second].some((g) => !g.startsWith('--'));
    throw bad(
      `${first} and ${second} cannot be used together: they have no meaning together, and nothing was run`,
      `Give only one of them (npm run ${task} -- --help says what each does)${fromShell ? '; a setting meant for every run belongs in .env (or the --env-file file), where it does not conflict' : ''}.`,
    );
  }
  for (const [a, b] of rules.implies ?? []) {
    const first = given.get(a);
    if (first !== undefined && !given.has(b))
      throw bad(`${first} needs --${b}; nothing was run`, `Add --${b}, or leave out ${first} (npm run ${task} -- --help).`);
  }
}
