import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';
import { $, which, type ProcessPromise } from 'zx/core';
import { withoutZxPsWarning } from './zx-ps.js';

/** What the caller's abort signal does to the child's process group. */
type OnAbort = 'interrupt' | 'kill';

export interface ProcessOptions {
  cwd: string;
  /** The whole environment of the child: zx's env replaces, it does not merge. */
  env: NodeJS.ProcessEnv;
  /**
   * The first Ctrl-C. With `onAbort: 'interrupt'`, one SIGINT to the child's process group,
   * what a terminal's Ctrl-C does: terraform stops gracefully and releases its state lock.
   * With `'kill'` (the default: a probe or a build step has nothing to tidy up), the group is
   * killed at once, so one signal to our process alone always ends the child.
   */
  signal?: AbortSignal;
  onAbort?: OnAbort;
  /** The second Ctrl-C ("stop now"): the group is killed, whatever it is doing. */
  stop?: AbortSignal;
  /**
   * Kills the group after this many milliseconds. Our own timer rather than zx's `timeout`:
   * zx's kills through its ps outside withoutZxPsWarning, and says nothing of having fired.
   */
  timeoutMs?: number;
  /** Applied to every line before anyone sees it: the callback, the tail, the kept output. */
  redact?: (text: string) => string;
  /** Each (redacted) line as it arrives. */
  onLine?: (line: string, stream: 'stdout' | 'stderr') => void;
  /** Called once the child started, with its pid (its process group's id too). */
  onStart?: (pid: number) => void;
}

export interface ProcessResult {
  /** null when the child could not start or ended by a signal. */
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  /** Redacted stdout, up to 1 MiB. */
  stdout: string;
  /** Redacted stdout and stderr as they interleaved, up to 1 MiB. */
  output: string;
  /** The last lines of both streams as they interleaved, redacted: for error messages. */
  tail: string[];
  /** The caller's signal aborted while the child ran. */
  interrupted: boolean;
  /** The stop signal killed the group. */
  killed: boolean;
  /** The timeout killed the group. */
  timedOut: boolean;
  /** Why the child could not start at all (missing binary or directory). */
  spawnError?: string;
  durationMs: number;
}

/** A child that runs on: moto waits for its "listening" line, then stops it when done. */
export interface RunningProcess {
  pid: number | undefined;
  /** Settles when the child exited and every line was delivered; never rejects. */
  result: Promise<ProcessResult>;
  /** Sends `signal` to every process of the child's group and tree (zx's kill). */
  kill(signal: NodeJS.Signals): Promise<void>;
}

const tailLines = 60;
const outputLimit = 1 << 20;

/** Runs `bin args` to completion (see startProcess); a non-zero exit is returned, not thrown. */
export async function runProcess(bin: string, args: readonly string[], options: ProcessOptions): Promise<ProcessResult> {
  return (await startProcess(bin, args, options)).result;
}

/**
 * Starts `bin` with zx in a process group of its own (`detached`), arguments interpolated
 * (zx quotes each one, never a hand-built shell string), nothing echoed (`quiet`) and no
 * exit code thrown (`nothrow`). Every line passes the redactor before it is kept or shown.
 * The binary is looked up with zx's `which` on the child's PATH first, so a missing one is
 * a spawn error, not the shell's "command not found".
 */
export async function startProcess(bin: string, args: readonly string[], options: ProcessOptions): Promise<RunningProcess> {
  const redact = options.redact ?? ((text: string) => text);
  const started = performance.now();
  const failedStart = (why: string): RunningProcess => ({
    pid: undefined,
    kill: () => Promise.resolve(),
    result: Promise.resolve({ ...emptyResult(), spawnError: redact(why), durationMs: Math.round(performance.now() - started) }),
  });
  if (options.signal?.aborted === true) {
    // Interrupted before it started: nothing may start now.
    return { pid: undefined, kill: () => Promise.resolve(), result: Promise.resolve({ ...emptyResult(), interrupted: true }) };
  }
  const resolved = await which(bin, { path: options.env.PATH ?? '', nothrow: true });
  if (resolved === null) return failedStart(`${bin}: not found or not executable`);
  const child = $({
    cwd: options.cwd,
    env: options.env,
    detached: true,
    // No stdin: a child never reads our terminal. It also keeps bash from taking a socket
    // on stdin for a remote shell's, where it would source ~/.bashrc.
    stdio: ['ignore', 'pipe', 'pipe'],
    nothrow: true,
    quiet: true,
  })`${resolved} ${args}`;
  if (child.pid !== undefined) options.onStart?.(child.pid);
  return { pid: child.pid, kill: (signal) => killGroup(child, signal), result: settle(child, options, redact) };
}

function emptyResult(): ProcessResult {
  return {
    exitCode: null,
    signal: null,
    stdout: '',
    output: '',
    tail: [],
    interrupted: false,
    killed: false,
    timedOut: false,
    durationMs: 0,
  };
}

/** zx's kill signals the child's tree and its group; a child that already ended needs nothing. */
async function killGroup(child: ProcessPromise, signal: NodeJS.Signals): Promise<void> {
  if (child.stage !== 'running' || child.pid === undefined) return;
  await withoutZxPsWarning(() => child.kill(signal));
}

/**
 * One SIGINT to the group, exactly once. zx's kill would signal every process of the tree
 * and then the group, so terraform would see two interrupts: its "exit immediately",
 * which leaves the state lock behind. Hand-written for that reason alone.
 */
function interruptGroup(child: ProcessPromise): void {
  if (child.stage !== 'running' || child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGINT');
  } catch (error) {
    // ESRCH: the group is already gone, which is what the signal was for.
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

async function settle(child: ProcessPromise, options: ProcessOptions, redact: (text: string) => string): Promise<ProcessResult> {
  const state = { interrupted: false, killed: false, timedOut: false };
  const timer =
    options.timeoutMs === undefined
      ? undefined
      : setTimeout(() => {
          state.timedOut = true;
          void killGroup(child, 'SIGKILL');
        }, options.timeoutMs);
  const onAbort = (): void => {
    state.interrupted = true;
    if (options.onAbort === 'interrupt') interruptGroup(child);
    else void killGroup(child, 'SIGKILL');
  };
  const onStop = (): void => {
    state.interrupted = true;
    state.killed = true;
    void killGroup(child, 'SIGKILL');
  };
  // Aborted while the binary was looked up: the child exists now, and must not run on.
  if (options.signal?.aborted === true) onAbort();
  else options.signal?.addEventListener('abort', onAbort, { once: true });
  options.stop?.addEventListener('abort', onStop, { once: true });
  const kept = { stdout: '', output: '', tail: [] as string[] };
  const take = (stream: 'stdout' | 'stderr') => (raw: string) => {
    const line = redact(raw);
    if (stream === 'stdout' && kept.stdout.length < outputLimit) kept.stdout += `${line}\n`;
    if (kept.output.length < outputLimit) kept.output += `${line}\n`;
    kept.tail.push(line);
    if (kept.tail.length > tailLines) kept.tail.shift();
    options.onLine?.(line, stream);
  };
  try {
    // zx's line iteration for stdout (it ends once the child settled); stderr line by line beside it.
    const [, output] = await Promise.all([eachLine(child.stderr, take('stderr')), iterateStdout(child, take('stdout'))]);
    return outcome(output, kept, state, redact);
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', onAbort);
    options.stop?.removeEventListener('abort', onStop);
  }
}

async function iterateStdout(child: ProcessPromise, take: (line: string) => void): Promise<Awaited<ProcessPromise>> {
  for await (const line of child) take(line);
  return child;
}

async function eachLine(stream: Readable | undefined, take: (line: string) => void): Promise<void> {
  if (stream === undefined) return;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) take(line);
}

function outcome(
  output: Awaited<ProcessPromise>,
  kept: { stdout: string; output: string; tail: string[] },
  state: { interrupted: boolean; killed: boolean; timedOut: boolean },
  redact: (text: string) => string,
): ProcessResult {
  const { exitCode, signal, duration } = output;
  const cause = output.cause;
  // zx reports a spawn failure (a missing working directory) as the errno for a code, with the error as cause.
  const spawnError = signal === null && cause !== null && (exitCode === null || exitCode < 0) ? redact(cause.message) : undefined;
  return {
    exitCode: spawnError === undefined ? exitCode : null,
    signal,
    stdout: kept.stdout,
    output: kept.output,
    tail: kept.tail,
    ...state,
    ...(spawnError === undefined ? {} : { spawnError }),
    durationMs: duration,
  };
}
