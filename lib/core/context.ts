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

/** This process's own streams. */
export function processIo(): TaskIo {
  return { stdout: process.stdout, stderr: process.stderr, stdin: process.stdin, terminal: process.stdin.isTTY === true };
}
