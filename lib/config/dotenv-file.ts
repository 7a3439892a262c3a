import { readFileSync, statSync, type Stats } from 'node:fs';
import { envFileFlag, envFileVariable } from './env-file-names.js';
import { join, resolve } from 'node:path';
import { parse } from 'dotenv';
import { nearest } from '../core/edit-distance.js';
import { ExitCode, TaskError } from '../core/errors.js';
import { operatorDir } from '../os/operator-dir.js';
import { settings } from './settings.js';

const settingNames: readonly string[] = settings.map((s) => s.env);

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

/**
 * At most this much of a word is compared with the setting names: a longer word is near none of
 * them, and the edit distance grows with the product of the lengths (a 150 KB line took seconds).
 */
const compared = Math.max(...settingNames.map((n) => n.length)) + 8;

function nearestSetting(word: string): string | undefined {
  return nearest(word.slice(0, compared).toUpperCase(), settingNames)?.candidate;
}

/** The problem with a name, if it looks like a setting but is not one (a typo must not drop a setting silently). */
function nameProblem(name: string): string | undefined {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) {
    // Only the name-like start is shown: the rest may be part of a value (`KEY: secret=...`).
    const start = /^[A-Za-z_][A-Za-z0-9_]*/.exec(name.slice(0, compared))?.[0];
    return `the text before "=" is not a variable name (letters, digits and _)${start ? `; it begins ${start}` : ''}`;
  }
  if (name === envFileVariable) return `${envFileVariable} chooses the settings file, so it cannot be set inside one: remove this line`;
  if (settingNames.includes(name)) return undefined;
  if (!/^deploy_/i.test(name) && !settingNames.includes(name.toUpperCase())) return undefined;
  const near = nearestSetting(name);
  const shown = name.length > compared ? `${name.slice(0, compared)}...` : name;
  return `${shown} is not a setting${near ? `; the nearest is ${near}` : ''}`;
}

/**
 * The problem with a value as dotenv would read it: a quote must close on its own line (dotenv
 * would carry the value on over the next lines), and a bare value must not hold a `#` that
 * dotenv takes as the start of a comment (it would cut the value there without a word).
 */
function valueProblem(name: string, raw: string): string | undefined {
  const quote = raw[0];
  if (quote === "'" || quote === '"' || quote === '`') {
    const end = raw.indexOf(quote, 1);
    const after = end < 0 ? '' : raw.slice(end + 1).trimStart();
    return end < 0 || (after !== '' && !after.startsWith('#'))
      ? `the quote opened in the value of ${name} is not closed on this line`
      : undefined;
  }
  const hash = raw.indexOf('#');
  return hash > 0 && !/\s/.test(raw[hash - 1] ?? '')
    ? `the value of ${name} holds "#", where dotenv would end it as a comment: put the value in quotes ('...')`
    : undefined;
}

/** The name a NAME=value line sets, or its problem; undefined for a blank or comment line. Linear in the line's length. */
function checkLine(raw: string): { name: string } | { problem: string } | undefined {
  const line = raw.trim();
  if (line === '' || line.startsWith('#')) return undefined;
  const body = /^export\s/.test(line) ? line.slice('export'.length).trimStart() : line;
  const eq = body.indexOf('=');
  if (eq < 0) {
    const near = nearestSetting(body.slice(0, compared).split(/\s/, 1)[0] ?? '');
    return { problem: `no "=" in this line: write NAME=value${near ? ` (e.g. ${near}=...)` : ''}, or comment it out with #` };
  }
  const name = body.slice(0, eq).trimEnd();
  const problem = nameProblem(name) ?? valueProblem(name, body.slice(eq + 1).trimStart());
  return problem === undefined ? { name } : { problem };
}

/**
 * Parses `.env` text with dotenv, after checking every line strictly (NAME=value lines, blank
 * lines, # comments, an optional `export `), and then that dotenv read exactly the names those
 * lines set: a line it would skip, or a value it would read from elsewhere, is reported, never
 * dropped. Every problem is reported at once.
 */
function parseDotenv(text: string, file: string): Record<string, string> {
  const lines = new Map<string, number>();
  const problems: string[] = [];
  // Lines as dotenv counts them (it takes a lone CR for a line end too).
  text.split(/\r\n|\r|\n/).forEach((raw, index) => {
    const checked = checkLine(raw);
    const where = `${file}:${index + 1}`;
    if (checked === undefined) return;
    if ('problem' in checked) problems.push(`${where}: ${checked.problem}`);
    else if (lines.has(checked.name)) problems.push(`${where}: ${checked.name} is already set on line ${lines.get(checked.name) ?? 0}`);
    else lines.set(checked.name, index + 1);
  });
  if (problems.length > 0) throw invalid(file, problems);
  // The fast parser: the default one backtracks over runs of blank lines (quadratic).
  const values = parse(text, { fast: true });
  for (const [name, line] of lines)
    if (!Object.hasOwn(values, name)) problems.push(`${file}:${line}: dotenv did not read ${name} from this line: write it as NAME=value`);
  for (const name of Object.keys(values))
    if (!lines.has(name))
      problems.push(`${file}: dotenv read ${name} from a line that is not NAME=value: put each setting on a line of its own`);
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
 * DEPLOY_ENV_FILE names, else the project's `.env`. A named path is absolute, or relative to the
 * directory the operator ran the task from (see operatorDir: npm's INIT_CWD when npm launched
 * us, else `cwd`, the process's working directory; never PWD).
 */
export function chooseEnvFile(
  flagValue: string | undefined,
  env: NodeJS.ProcessEnv,
  projectDir: string,
  cwd: string = process.cwd(),
): EnvFile {
  const fromEnv = env[envFileVariable];
  const named =
    flagValue !== undefined
      ? { source: `--${envFileFlag}`, value: flagValue }
      : fromEnv !== undefined && fromEnv !== ''
        ? { source: envFileVariable, value: fromEnv }
        : undefined;
  if (named === undefined) return { path: join(projectDir, '.env') };
  const base = operatorDir(env, cwd);
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
    hint: `Correct ${source} (a relative path is taken from ${base}, where the task was run), or create the file: copy .env.example and set that account's AWS_PROFILE, DEPLOY_EXPECTED_ACCOUNT_ID and DEPLOY_STATE_BUCKET.`,
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
