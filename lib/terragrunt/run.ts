// node:child_process rather than zx here: terragrunt needs its own process group (one
// Ctrl-C, forwarded once), line-by-line redaction of both streams, and live output.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ExitCode, TaskError } from '../core/errors.js';
import { hintFor } from './hints.js';

export interface RunOptions {
  bin: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Applied to every printed line: removes secrets before anything is shown. */
  redact: (text: string) => string;
  /** The first Ctrl-C: SIGINT once to terragrunt's process group, so terraform stops gracefully and releases its state lock. */
  signal: AbortSignal;
  /** The second Ctrl-C ("stop now"): the whole process group is killed; the caller then deals with a lock left behind. */
  stop?: AbortSignal;
  stdout: Writable;
  stderr: Writable;
  /** Keep stdout in memory instead of printing it (output -json). */
  captureStdout?: boolean;
  /** Exit codes that are answers, not failures (2 with -detailed-exitcode). */
  acceptExitCodes?: readonly number[];
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  interrupted: boolean;
  /** The run was stopped hard (second Ctrl-C): terraform had no chance to release its lock. */
  killed: boolean;
}

const tailLines = 60;

function pump(stream: Readable, sink: Writable | undefined, redact: (t: string) => string, keep: string[]): Promise<void> {
  const lines = createInterface({ input: stream, crlfDelay: Infinity });
  lines.on('line', (raw) => {
    const line = redact(raw);
    keep.push(line);
    if (sink === undefined) return;
    if (keep.length > tailLines) keep.shift();
    sink.write(`${line}\n`);
  });
  return once(lines, 'close').then(() => undefined);
}

/**
 * Runs terragrunt with live, redacted output, in a process group of its own.
 *
 * The first interrupt is one SIGINT to the whole group, exactly what a terminal Ctrl-C
 * does to a terragrunt started from a shell: terraform stops gracefully at once, and
 * terragrunt 0.99.2, which delays forwarding a signal it received itself by 15 s (it
 * assumes the group got it too), never has to forward it. Signalling terragrunt alone
 * would leave terraform running for those 15 s. The second interrupt kills the group.
 */
export async function runTerragrunt(options: RunOptions): Promise<RunResult> {
  // Ctrl-C before the child exists: nothing to forward, and nothing may start.
  if (options.signal.aborted) return { exitCode: ExitCode.interrupted, stdout: '', interrupted: true, killed: false };
  const child = spawn(options.bin, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let interrupted = false;
  let killed = false;
  const toGroup = (signal: NodeJS.Signals): void => {
    if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
    try {
      process.kill(-child.pid, signal);
    } catch (error) {
      // ESRCH: the group is already gone, which is what the signal was for.
      if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
    }
  };
  const interrupt = (): void => {
    interrupted = true;
    toGroup('SIGINT');
  };
  const kill = (): void => {
    interrupted = true;
    killed = true;
    toGroup('SIGKILL');
  };
  options.signal.addEventListener('abort', interrupt, { once: true });
  options.stop?.addEventListener('abort', kill, { once: true });
  const unlisten = (): void => {
    options.signal.removeEventListener('abort', interrupt);
    options.stop?.removeEventListener('abort', kill);
  };

  const out: string[] = [];
  const err: string[] = [];
  try {
    await once(child, 'spawn');
  } catch (error) {
    unlisten();
    throw new TaskError(`Could not start ${options.bin}: ${String(error)}`, {
      code: 'TOOL_MISSING',
      hint: 'Install terragrunt with asdf install (.tool-versions), or set DEPLOY_TERRAGRUNT_PATH to the terragrunt binary.',
      cause: error,
    });
  }
  // Listening for 'close' only after a successful spawn: a failed spawn is reported above, once.
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  await Promise.all([
    pump(child.stdout, options.captureStdout ? undefined : options.stdout, options.redact, out),
    pump(child.stderr, options.stderr, options.redact, err),
  ]);
  const [code, signal] = await exited;
  unlisten();
  const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : ExitCode.failure);
  if (interrupted) return { exitCode: ExitCode.interrupted, stdout: out.join('\n'), interrupted, killed };
  if (exitCode !== 0 && !(options.acceptExitCodes ?? []).includes(exitCode)) throw failure(options, exitCode, [...out, ...err]);
  return { exitCode, stdout: out.join('\n'), interrupted, killed };
}

function failure(options: RunOptions, exitCode: number, lines: string[]): TaskError {
  const text = lines.join('\n');
  const command = [options.bin, ...options.args].map((a) => (/\s/.test(a) ? JSON.stringify(a) : a)).join(' ');
  const lastErrors = lines.filter((l) => /error|failed|denied/i.test(l)).slice(-5);
  return new TaskError(
    [
      `terragrunt failed with exit code ${exitCode}`,
      `  command:   ${options.redact(command)}`,
      `  directory: ${options.cwd}`,
      ...lastErrors.map((l) => `  | ${l.trim()}`),
    ].join('\n'),
    {
      code: 'TERRAGRUNT_FAILED',
      hint: hintFor(text) ?? 'Read the terraform error above; npm run doctor checks credentials, bucket and tools.',
      exitCode: ExitCode.failure,
    },
  );
}
