import { constants } from 'node:os';
import type { Writable } from 'node:stream';
import { ExitCode, TaskError } from '../core/errors.js';
import { runProcess } from '../core/process.js';
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
  /** Called with terragrunt's pid once it started: the unit guard records it (orphans are found by it). */
  onStart?: (pid: number) => void;
}

export interface RunResult {
  exitCode: number;
  stdout: string;
  interrupted: boolean;
  /** The run was stopped hard (second Ctrl-C): terraform had no chance to release its lock. */
  killed: boolean;
}

/**
 * Runs terragrunt with live, redacted output, in a process group of its own, through the
 * process runner (lib/core/process.ts).
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
  const result = await runProcess(options.bin, options.args, {
    cwd: options.cwd,
    env: options.env,
    signal: options.signal,
    onAbort: 'interrupt',
    ...(options.stop ? { stop: options.stop } : {}),
    ...(options.onStart ? { onStart: options.onStart } : {}),
    redact: options.redact,
    onLine: (line, stream) => {
      if (stream === 'stderr') options.stderr.write(`${line}\n`);
      else if (!options.captureStdout) options.stdout.write(`${line}\n`);
    },
  });
  if (result.spawnError !== undefined) {
    throw new TaskError(`Could not start ${options.bin}: ${result.spawnError}`, {
      code: 'TOOL_MISSING',
      hint: 'Install terragrunt with asdf install (.tool-versions), or set DEPLOY_TERRAGRUNT_PATH to the terragrunt binary.',
    });
  }
  const stdout = result.stdout.replace(/\n$/, '');
  const { interrupted, killed } = result;
  const exitCode = result.exitCode ?? (result.signal ? 128 + (constants.signals[result.signal] ?? 0) : ExitCode.failure);
  if (interrupted) return { exitCode: ExitCode.interrupted, stdout, interrupted, killed };
  if (exitCode !== 0 && !(options.acceptExitCodes ?? []).includes(exitCode)) throw failure(options, exitCode, result.tail);
  return { exitCode, stdout, interrupted, killed };
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
