import { spawn } from 'node:child_process';
import { delimiter, join } from 'node:path';
import { createInterface } from 'node:readline';
import { isExecutable } from './cache.js';

// ---- the process seam: every child of lib/tools goes through a Runner ----

export interface RunRequest {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called for each output line as it arrives (progress, build logs). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
}

export interface RunResult {
  /** null when the process was killed by a signal or could not start. */
  exitCode: number | null;
  stdout: string;
  /** The last lines of stdout and stderr interleaved, for error reports. */
  tail: string[];
  durationMs: number;
  /** Set when the process could not be started at all (e.g. ENOENT). */
  spawnError?: string;
}

/** Tests pass a recording Runner to see (and forbid) the commands that would run. */
export type Runner = (request: RunRequest) => Promise<RunResult>;

const tailLines = 40;
const stdoutLimit = 1 << 20;

/** Runs argv directly (never a shell) and resolves on exit; aborting kills the child. */
export const spawnRunner: Runner = (request) =>
  new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(request.command, request.args, {
      cwd: request.cwd,
      env: request.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      signal: request.signal,
    });
    let stdout = '';
    const tail: string[] = [];
    const collect = (stream: 'stdout' | 'stderr') => (line: string) => {
      if (stream === 'stdout' && stdout.length < stdoutLimit) stdout += `${line}\n`;
      tail.push(line);
      if (tail.length > tailLines) tail.shift();
      request.onLine?.(line, stream);
    };
    createInterface({ input: child.stdout }).on('line', collect('stdout'));
    createInterface({ input: child.stderr }).on('line', collect('stderr'));
    const elapsed = (): number => Math.round(performance.now() - started);
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.name === 'AbortError') reject(error);
      else resolve({ exitCode: null, stdout, tail, durationMs: elapsed(), spawnError: `${error.code ?? error.name}: ${error.message}` });
    });
    // 'close' (not 'exit') so that every output line has been delivered first.
    child.on('close', (code) => resolve({ exitCode: code, stdout, tail, durationMs: elapsed() }));
  });

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m${String(seconds % 60).padStart(2, '0')}s`;
}

/** Copies only the named variables (and prefixes): children get an explicit environment. */
export function pickEnv(env: NodeJS.ProcessEnv, names: readonly string[], prefixes: readonly string[] = []): NodeJS.ProcessEnv {
  const picked: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) continue;
    if (names.includes(key) || prefixes.some((p) => key.startsWith(p))) picked[key] = value;
  }
  return picked;
}

/** The first executable `name` on `PATH`, like the shell would pick. */
export async function findOnPath(name: string, pathVar: string | undefined): Promise<string | undefined> {
  for (const dir of (pathVar ?? '').split(delimiter)) {
    if (dir === '') continue;
    const candidate = join(dir, name);
    if (await isExecutable(candidate)) return candidate;
  }
  return undefined;
}

// ---- version checks ----

interface VersionSpec {
  args: string[];
  /** Captures the bare version (no leading v), including any suffix such as -dev. */
  pattern: RegExp;
}

const versionSpecs = {
  terraform: { args: ['version'], pattern: /^Terraform v(\S+)\s*$/m },
  terragrunt: { args: ['--version'], pattern: /^terragrunt version v(\S+)\s*$/m },
  tflint: { args: ['--version'], pattern: /^TFLint version (\S+)\s*$/m },
  // The first line: the stamped version (ours, and GoReleaser's), or v1.2.3 from `go install` build info.
  actionlint: { args: ['-version'], pattern: /^v?(\d+\.\d+\.\d+\S*)\s*$/m },
} as const satisfies Record<string, VersionSpec>;
export type VersionedTool = keyof typeof versionSpecs;

export interface VersionCheck {
  ok: boolean;
  /** What the binary reported; undefined when its output did not match. */
  installed: string | undefined;
  required: string;
  /** Why it is not ok, for the status line. */
  problem?: string;
}

export function parseVersion(tool: VersionedTool, output: string): string | undefined {
  return versionSpecs[tool].pattern.exec(output)?.[1];
}

/**
 * The environment a version probe runs with: TF_CLI_ARGS* would be appended to
 * `terraform version` (and can make it fail), and the checkpoint call would reach
 * for the network just to say a newer release exists.
 */
export function probeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...env, CHECKPOINT_DISABLE: '1' };
  for (const key of Object.keys(clean)) if (key.startsWith('TF_CLI_ARGS')) delete clean[key];
  return clean;
}

export async function checkVersion(
  tool: VersionedTool,
  bin: string,
  required: string,
  options: { env: NodeJS.ProcessEnv; runner: Runner; signal?: AbortSignal },
): Promise<VersionCheck> {
  const spec = versionSpecs[tool];
  const result = await options.runner({ command: bin, args: [...spec.args], env: probeEnv(options.env), signal: options.signal });
  const command = `${bin} ${spec.args.join(' ')}`;
  if (result.exitCode !== 0) {
    const why = result.spawnError ?? `exit ${String(result.exitCode)}: ${result.tail.slice(-3).join(' | ')}`;
    return { ok: false, installed: undefined, required, problem: `${command} failed (${why})` };
  }
  const installed = parseVersion(tool, result.stdout);
  if (installed === undefined) {
    return { ok: false, installed, required, problem: `${command} printed no version matching ${spec.pattern}` };
  }
  if (installed !== required) {
    return { ok: false, installed, required, problem: `${bin} is ${installed}, not ${required}` };
  }
  return { ok: true, installed, required };
}
