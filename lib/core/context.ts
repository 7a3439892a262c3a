import type { Readable, Writable } from 'node:stream';
import type { Logger } from './log.js';

/** The process's streams as a task sees them; tests pass their own. */
export interface TaskIo {
  /** Requested data: reports, outputs, terraform's own output. */
  stdout: Writable;
  /** Where prompts are asked and terragrunt's own log lines go. */
  stderr: Writable;
  /** Answers to prompts. */
  stdin: Readable;
  /** Whether stdin delivers keys one by one (a terminal): Ctrl-C and Ctrl-D are then keys. */
  terminal: boolean;
}

/**
 * Every side effect reaches tasks and lib through this object, built once by the CLI entry
 * (cli/run.ts). Tests build their own (temp project copy, captured logger and streams).
 */
export interface TaskContext {
  /** The project root: where `.tool-versions`, `platform/infra` and `.env` live. */
  projectDir: string;
  /** The environment tasks read settings from and hand (filtered) to children. */
  env: NodeJS.ProcessEnv;
  /** Human output; it knows whether to colour. */
  log: Logger;
  io: TaskIo;
  /** Whether a person can answer prompts (stdin and stdout are TTYs, not CI). */
  interactive: boolean;
  /** Aborted on the first SIGINT/SIGTERM/SIGHUP; long operations pass it on and stop gracefully. */
  signal: AbortSignal;
  /** Aborted on the second one ("stop now"): a running terragrunt is killed, and its lock dealt with. */
  stop?: AbortSignal;
}

/**
 * Runs another task in this process as its command line would (`['plan', '--all']` is
 * `npm run plan -- --all`), its flags parsed and read as the CLI does. The CLI hands one to
 * a task that composes others (the sandbox rehearsal), which cannot import them itself.
 */
export type TaskRunner = (argv: readonly string[], ctx: TaskContext) => Promise<number>;

/**
 * A reader that closes our stdout or stderr early (`npm run plan | head -c 100`) is not a
 * failure of the task: what it did not take is dropped, and the task finishes what it started
 * (a plan is not left half made, the unit's guard file is released) and exits with its own
 * code, as the README's exit-code table says. Without this, Node throws EPIPE from the
 * stream's 'error' event, a crash with a stack trace. Any other stream error still surfaces.
 */
function dropWritesAfterEpipe(stream: NodeJS.WritableStream): void {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
  });
}

/**
 * Whether the environment says this is a CI run: CI set to a true value, `true` or `1` (any
 * case, as CI services set it). `CI=false` or `CI=0` (a shell that copied a CI config, a
 * tool that turns it off) is not CI, so a person at a terminal is still asked.
 */
export function isCi(env: NodeJS.ProcessEnv): boolean {
  return /^(true|1)$/i.test((env.CI ?? '').trim());
}

/** This process's own streams (a closed pipe on stdout or stderr ends quietly; see dropWritesAfterEpipe). */
export function processIo(): TaskIo {
  dropWritesAfterEpipe(process.stdout);
  dropWritesAfterEpipe(process.stderr);
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, terminal: process.stdin.isTTY === true };
}
