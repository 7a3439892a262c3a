import type { Logger } from './log.js';

/**
 * Side effects reach tasks through this object, built once by the CLI entry.
 * Tests build their own (temp project copy, captured logger, sandbox env).
 */
export interface TaskContext {
  /** The project root: where `.tool-versions`, `platform/infra` and `.env` live. */
  projectDir: string;
  /** The environment tasks read settings from and hand (filtered) to children. */
  env: NodeJS.ProcessEnv;
  log: Logger;
  /** Whether a person can answer prompts (stdin and stdout are TTYs, not CI). */
  interactive: boolean;
  /** Aborted on the first SIGINT/SIGTERM/SIGHUP; long operations pass it on and stop gracefully. */
  signal: AbortSignal;
  /** Aborted on the second one ("stop now"): a running terragrunt is killed, and its lock dealt with. */
  stop?: AbortSignal;
}
