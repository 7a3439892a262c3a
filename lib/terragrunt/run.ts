// node:child_process rather than zx here: terragrunt needs its own process group (one
// Ctrl-C, forwarded once), line-by-line redaction of both streams, and live output.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { constants } from 'node:os';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import { ExitCode, TaskError } from '../errors.js';
import { hintFor } from './hints.js';

export interface RunOptions {
  bin: string;
  args: string[];
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Applied to every printed line: removes secrets before anything is shown. */
  redact: (text: string) => string;
  /** Aborting sends SIGINT to the child once, so terraform can release its state lock. */
  signal: AbortSignal;
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
 * Runs terragrunt with live, redacted output. The child gets its own process group so
 * a terminal Ctrl-C reaches it exactly once, through us: a second SIGINT would make
 * terraform abandon the run without releasing the lock.
 */
export async function runTerragrunt(options: RunOptions): Promise<RunResult> {
  // Ctrl-C before the child exists: nothing to forward, and nothing may start.
  if (options.signal.aborted) return { exitCode: ExitCode.interrupted, stdout: '', interrupted: true };
  const child = spawn(options.bin, options.args, { cwd: options.cwd, env: options.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let interrupted = false;
  const forward = (): void => {
    interrupted = true;
    if (child.exitCode === null) child.kill('SIGINT');
  };
  options.signal.addEventListener('abort', forward, { once: true });

  const out: string[] = [];
  const err: string[] = [];
  try {
    await once(child, 'spawn');
  } catch (error) {
    options.signal.removeEventListener('abort', forward);
    throw new TaskError(`Could not start ${options.bin}: ${String(error)}`, {
      code: 'TOOL_MISSING',
      hint: 'Run npm run tools, or set DEPLOY_TERRAGRUNT_PATH to the terragrunt binary.',
      cause: error,
    });
  }
  // Listening for 'close' only after a successful spawn: a failed spawn is reported above, once.
  const exited = once(child, 'close') as Promise<[number | null, NodeJS.Signals | null]>;
  // A second Ctrl-C means "stop now": terminate the whole group rather than leave it running unseen.
  let signals = 0;
  const escalate = (): void => {
    signals += 1;
    if (signals >= 2 && child.exitCode === null && child.pid !== undefined) process.kill(-child.pid, 'SIGTERM');
  };
  process.on('SIGINT', escalate);
  await Promise.all([
    pump(child.stdout, options.captureStdout ? undefined : options.stdout, options.redact, out),
    pump(child.stderr, options.stderr, options.redact, err),
  ]);
  const [code, signal] = await exited;
  options.signal.removeEventListener('abort', forward);
  process.off('SIGINT', escalate);
  const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : ExitCode.failure);
  if (interrupted) return { exitCode: ExitCode.interrupted, stdout: out.join('\n'), interrupted };
  if (exitCode !== 0 && !(options.acceptExitCodes ?? []).includes(exitCode)) throw failure(options, exitCode, [...out, ...err]);
  return { exitCode, stdout: out.join('\n'), interrupted };
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
