import { readFileSync, statSync, type Stats } from 'node:fs';
import { join, resolve } from 'node:path';
import { nearest } from '../core/edit-distance.js';
import { ExitCode, TaskError } from '../core/errors.js';
import { operatorDir } from '../os/operator-dir.js';
import { settings } from './settings.js';

const settingNames: readonly string[] = settings.map((s) => s.env);

/** The flag (without dashes) and its environment twin that name the settings file of one run instead of the project's `.env`. */
export const envFileFlag = 'env-file';
export const envFileVariable = 'DEPLOY_ENV_FILE';

function invalid(file: string, problems: readonly string[]): TaskError {
  const lines = problems.map((p) => `  - ${p}`).join('\n');
  return new TaskError(`${file} cannot be used (${problems.length} problem${problems.length === 1 ? '' : 's'}):\n${lines}`, {
    code: 'ENV_FILE_INVALID',
    hint: `Correct ${file} (every setting and its form is in .env.example), then run the task again. Nothing was changed.`,
    exitCode: ExitCode.config,
  });
}

/** UTF-8 only: a UTF-16 file (Windows editors) would otherwise look like no settings at all. */
function decode(file: string, bytes: Buffer): string {
  const utf16Bom = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  if (utf16Bom || bytes.includes(0)) throw invalid(file, [`${file} is UTF-16 (or holds NUL bytes): save it as UTF-8`]);
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw invalid(file, [`${file} is not valid UTF-8: save it as UTF-8`]);
  }
}

/** The value after `=`: quoted ('...' as written, "..." with \n for a newline), or bare up to a ` #` comment. */
function value(raw: string): string | undefined {
  const quote = raw[0];
  if (quote === "'" || quote === '"') {
    const end = raw.indexOf(quote, 1);
    if (end < 0 || !/^\s*(#.*)?$/.test(raw.slice(end + 1))) return undefined;
    const inner = raw.slice(1, end);
    return quote === "'" ? inner : inner.replace(/\\n/g, '\n');
  }
  return raw.replace(/(^|\s)#.*$/, '').trim();
}

/** The problem with a name, if it looks like a setting but is not one (a typo must not drop a setting silently). */
function nameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    // Only the name-like start is shown: the rest may be part of a value (`KEY: secret=...`).
    const start = /^[A-Za-z_][A-Za-z0-9_]*/.exec(name)?.[0];
    return `the text before "=" is not a variable name (letters, digits and _)${start ? `; it begins ${start}` : ''}`;
  }
  if (name === envFileVariable) return `${envFileVariable} chooses the settings file, so it cannot be set inside one: remove this line`;
  if (settingNames.includes(name)) return undefined;
  if (!/^deploy_/i.test(name) && !settingNames.includes(name.toUpperCase())) return undefined;
  const near = nearest(name.toUpperCase(), settingNames);
  return `${name} is not a setting${near ? `; the nearest is ${near.candidate}` : ''}`;
}

/** Parses `.env` text: NAME=value lines, blank lines, # comments, an optional `export `. Every problem is reported. */
function parseDotenv(text: string, file: string): Record<string, string> {
  const values: Record<string, string> = {};
  const seen = new Map<string, number>();
  const problems: string[] = [];
  text.split('\n').forEach((rawLine, index) => {
    const line = rawLine.replace(/\r$/, '');
    const where = `${file}:${index + 1}`;
    if (line.trim() === '' || line.trim().startsWith('#')) return;
    const match = /^\s*(?:export\s+)?([^=]*?)\s*=\s*(.*)$/.exec(line);
    if (!match || match[1] === undefined || match[2] === undefined) {
      const near = nearest(line.trim().split(/\s/)[0]?.toUpperCase() ?? '', settingNames);
      problems.push(
        `${where}: no "=" in this line: write NAME=value${near ? ` (e.g. ${near.candidate}=...)` : ''}, or comment it out with #`,
      );
      return;
    }
    const [, name, raw] = match;
    const bad = nameProblem(name);
    const parsed = value(raw);
    if (bad) problems.push(`${where}: ${bad}`);
    else if (parsed === undefined) problems.push(`${where}: the quote opened in the value of ${name} is not closed on this line`);
    else if (seen.has(name)) problems.push(`${where}: ${name} is already set on line ${seen.get(name) ?? 0}`);
    else values[name] = parsed;
    seen.set(name, index + 1);
  });
  if (problems.length > 0) throw invalid(file, problems);
  return values;
}

function unreadable(file: string, error: unknown): TaskError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? 'an error';
  return invalid(file, [`${file} cannot be read (${code}): give your user read access to it and to its folders`]);
}

/** The settings in `file`, strictly parsed, or undefined when there is no such file. */
function readSettingsFile(file: string): Record<string, string> | undefined {
  let stat: Stats | undefined;
  try {
    stat = statSync(file, { throwIfNoEntry: false });
  } catch (error) {
    // A file where a folder should be: there is no such file either.
    if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return undefined;
    throw unreadable(file, error);
  }
  if (stat === undefined) return undefined;
  if (!stat.isFile())
    throw invalid(file, [`${file} is a ${stat.isDirectory() ? 'directory' : 'special file'}, not a file of NAME=value lines`]);
  let bytes: Buffer;
  try {
    bytes = readFileSync(file);
  } catch (error) {
    throw unreadable(file, error);
  }
  return parseDotenv(decode(file, bytes), file);
}

/** The project's `.env`, if there is one. A mistake in it is bad input, never skipped. */
export function readDotenv(projectDir: string): Record<string, string> {
  return readSettingsFile(join(projectDir, '.env')) ?? {};
}

/** The settings file of a run, and what named it (nothing for the project's `.env`). */
export interface EnvFile {
  path: string;
  /** The flag or variable that named it, its value as given, and the directory a relative value is resolved from. */
  namedBy?: { source: string; value: string; base: string };
}

/**
 * The file `--env-file` names (its value, pre-scanned from the command line), else the one
 * DEPLOY_ENV_FILE names, else the project's `.env`. A named path is relative to the directory
 * the operator ran npm from (INIT_CWD, else PWD, else the project), or absolute.
 */
export function chooseEnvFile(flagValue: string | undefined, env: NodeJS.ProcessEnv, projectDir: string): EnvFile {
  const fromEnv = env[envFileVariable];
  const named =
    flagValue !== undefined
      ? { source: `--${envFileFlag}`, value: flagValue }
      : fromEnv !== undefined && fromEnv !== ''
        ? { source: envFileVariable, value: fromEnv }
        : undefined;
  if (named === undefined) return { path: join(projectDir, '.env') };
  const base = operatorDir(env, projectDir);
  return { path: resolve(base, named.value), namedBy: { ...named, base } };
}

/** The settings of the chosen file. A named file must exist (no fall-back to `.env`); the project's `.env` may be absent. */
export function readEnvFile(file: EnvFile): Record<string, string> {
  const values = readSettingsFile(file.path);
  if (values !== undefined) return values;
  if (file.namedBy === undefined) return {};
  const { source, value, base } = file.namedBy;
  throw new TaskError(`The env file ${file.path} (${source} ${value}) does not exist; the project's .env was not read in its place`, {
    code: 'ENV_FILE_MISSING',
    hint: `Correct ${source} (a relative path is taken from ${base}, where npm was run), or create the file: copy .env.example and set that account's AWS_PROFILE, DEPLOY_EXPECTED_ACCOUNT_ID and DEPLOY_STATE_BUCKET.`,
    exitCode: ExitCode.config,
  });
}

/**
 * The environment a run sees: the env file's values, under the real environment's. A variable
 * the environment sets to the empty string counts as unset, as it does for every setting (see
 * loadConfig): the file's value stands. So `DEPLOY_EXPECTED_ACCOUNT_ID=` exported in a shell
 * never switches off the account guard the file sets, nor does `AWS_PROFILE=` trade the file's
 * profile for whatever credentials the shell holds. To override a file's value for one run, give
 * another value (or the flag; an empty flag is refused by the setting's rule); to drop it, edit
 * the file.
 */
export function underEnvironment(fileValues: Readonly<Record<string, string>>, env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const merged: NodeJS.ProcessEnv = { ...fileValues };
  for (const [name, value] of Object.entries(env))
    if (value !== undefined && (value !== '' || !Object.hasOwn(fileValues, name))) merged[name] = value;
  return merged;
}
