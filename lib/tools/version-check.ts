import { which } from 'zx/core';
import { runProcess } from '../core/process.js';
import { createRedactor, secretValues } from '../core/redact.js';

// ---- the process seam: every child of lib/tools goes through a Runner ----

export interface RunRequest {
  command: string;
  args: string[];
  env: NodeJS.ProcessEnv;
  cwd?: string;
  /** Called for each output line as it arrives (progress, build logs). */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  signal?: AbortSignal;
  /** The child's group is killed after this long (a probe of a binary that hangs). */
  timeoutMs?: number;
  /** Applied to every line the child prints, before it is kept or passed on. */
  redact?: (text: string) => string;
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

/**
 * Runs argv through the process runner (lib/core/process.ts): its own process group, killed
 * as a whole when the signal aborts or the timeout passes, so a binary that hangs (or a
 * script whose children hold its output open) cannot outlive the request.
 */
export const spawnRunner: Runner = async (request) => {
  const result = await runProcess(request.command, request.args, {
    cwd: request.cwd ?? process.cwd(),
    env: request.env,
    ...(request.signal ? { signal: request.signal } : {}),
    ...(request.timeoutMs === undefined ? {} : { timeoutMs: request.timeoutMs }),
    ...(request.redact ? { redact: request.redact } : {}),
    ...(request.onLine ? { onLine: request.onLine } : {}),
  });
  if (request.signal?.aborted === true) throw new DOMException('The operation was aborted', 'AbortError');
  const { exitCode, stdout, tail, durationMs } = result;
  const spawnError =
    result.spawnError ??
    (result.timedOut ? `no answer within ${String(Math.round((request.timeoutMs ?? 0) / 1000))}s; stopped` : undefined);
  return { exitCode, stdout, tail, durationMs, ...(spawnError === undefined ? {} : { spawnError }) };
};

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

/** The first executable `name` on `PATH`, like the shell would pick (zx's `which`). */
export async function findOnPath(name: string, pathVar: string | undefined): Promise<string | undefined> {
  return (await which(name, { path: pathVar ?? '', nothrow: true })) ?? undefined;
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
 * The environment terraform runs with for the tools' own work (`providers mirror`): the
 * operator's, less TF_CLI_ARGS* (appended to every command, and can make it fail), and
 * without the checkpoint call, which would reach for the network just to say a newer release exists.
 */
export function terraformToolEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = { ...env, CHECKPOINT_DISABLE: '1' };
  for (const key of Object.keys(clean)) if (key.startsWith('TF_CLI_ARGS')) delete clean[key];
  return clean;
}

/**
 * The environment a version probe runs with: only what finding and starting a binary needs.
 * A version probe needs no credentials, so none reach it (a wrapper script would otherwise
 * print them), nor TF_CLI_ARGS* or the checkpoint call (see terraformToolEnv).
 */
export function probeEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return terraformToolEnv(pickEnv(env, ['PATH', 'HOME', 'TMPDIR', 'LANG', 'LC_ALL']));
}

export async function checkVersion(
  tool: VersionedTool,
  bin: string,
  required: string,
  /** timeoutMs: TOOLS_PROBE_TIMEOUT_SECONDS, the bound on the probe. */
  options: { env: NodeJS.ProcessEnv; runner: Runner; signal?: AbortSignal; timeoutMs: number },
): Promise<VersionCheck> {
  const spec = versionSpecs[tool];
  const result = await options.runner({
    command: bin,
    args: [...spec.args],
    env: probeEnv(options.env),
    signal: options.signal,
    timeoutMs: options.timeoutMs,
    // What it prints is shown in the problem: whatever secret it found elsewhere is not.
    redact: createRedactor(secretValues(options.env)),
  });
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
