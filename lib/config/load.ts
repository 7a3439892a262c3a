import { ExitCode, TaskError } from '../core/errors.js';
import { isInvalid, maskedUrl } from './rules.js';
import { settings, type Setting } from './settings.js';
import type { SettingSpec } from './setting-spec.js';
import { toolSpecs } from './tool-specs.js';

/** A setting's value in Config: always there with a default, else possibly undefined. */
type ValueOf<S> = S extends SettingSpec<string, infer T, infer D> ? (D extends string ? T : T | undefined) : never;

/** The validated, frozen configuration every task receives: one property per setting of the table. */
export type Config = { readonly [S in Setting as S['key']]: ValueOf<S> };

/** The settings of where the pinned tools come from: what `npm run tools` validates, and all it reads. */
export type ToolConfig = { readonly [S in (typeof toolSpecs)[number] as S['key']]: ValueOf<S> };

/** Flag values from argv, keyed by setting key; undefined means "not given". */
export type Overrides = Partial<Record<Setting['key'], string>>;

interface ConfigProblem {
  setting: string;
  value: string;
  problem: string;
}

function rawValue(s: Setting, overrides: Overrides, env: NodeJS.ProcessEnv): { raw?: string; from: string } {
  const flag = overrides[s.key];
  if (flag !== undefined) return { raw: String(flag), from: `--${s.flag}` };
  const fromEnv = env[s.env];
  if (fromEnv !== undefined && fromEnv !== '') return { raw: fromEnv, from: s.env };
  return s.default === undefined ? { from: s.env } : { raw: s.default, from: `${s.env} (default)` };
}

/**
 * Shows a rejected value safely: a URL without its user and password, on one line, at most
 * 60 characters. Text with an "@" that does not even parse as a URL (a "/" in a password
 * ends the host early) is not shown at all: it may be user:password@host.
 */
function shown(raw: string): string {
  const url = maskedUrl(raw);
  if (url === undefined && raw.includes('@')) return '(not shown: it may hold a password)';
  const oneLine = (url ?? raw).replace(/[\r\n\t]/g, ' ');
  return oneLine.length > 60 ? `${oneLine.slice(0, 57)}...` : oneLine;
}

/** Validates every setting (flag beats env beats default) and reports all problems together. */
export function loadConfig(overrides: Overrides, env: NodeJS.ProcessEnv): Config {
  const values = loadSettings(settings, overrides, env);
  if (!holdsEvery<Config>(settings, values)) throw new Error('bug: a setting of the table was not read');
  return values;
}

/** Validates the tool settings alone: `npm run tools` stops on a bad one of these, never on a deploy setting it does not use. */
export function loadToolConfig(overrides: Overrides, env: NodeJS.ProcessEnv): ToolConfig {
  const values = loadSettings(toolSpecs, overrides, env);
  if (!holdsEvery<ToolConfig>(toolSpecs, values)) throw new Error('bug: a tool setting of the table was not read');
  return values;
}

function loadSettings(specs: readonly Setting[], overrides: Overrides, env: NodeJS.ProcessEnv): Readonly<Record<string, unknown>> {
  const values: Record<string, unknown> = {};
  const problems: ConfigProblem[] = [];
  for (const s of specs) {
    const { raw, from } = rawValue(s, overrides, env);
    if (raw === undefined) {
      values[s.key] = undefined;
      continue;
    }
    const parsed = s.parse(raw);
    if (isInvalid(parsed)) problems.push({ setting: from, value: parsed.shown ?? shown(raw), problem: parsed.problem });
    else values[s.key] = parsed.value;
  }
  if (problems.length > 0) throw configError(problems);
  return Object.freeze(values);
}

/**
 * Each value above was produced by its own setting's parse (or is an unset optional one), so
 * a record with every key of these specs is their typed config; this checks the keys at run time.
 */
function holdsEvery<C extends Readonly<Record<string, unknown>>>(
  specs: readonly Setting[],
  values: Readonly<Record<string, unknown>>,
): values is C {
  return specs.every((s) => Object.hasOwn(values, s.key));
}

function configError(problems: ConfigProblem[]): TaskError {
  const lines = problems.map((p) => `  - ${p.setting}=${JSON.stringify(p.value)}: ${p.problem}`);
  return new TaskError(`Invalid configuration (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines.join('\n')}`, {
    code: 'CONFIG_INVALID',
    hint: 'Fix the values above in the env file (.env, or the one --env-file names) or the flags (see .env.example for every setting), then run the task again.',
    exitCode: ExitCode.config,
  });
}
