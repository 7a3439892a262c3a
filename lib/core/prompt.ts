import { createInterface } from 'node:readline/promises';
import type { TaskContext } from './context.js';
import { ExitCode, TaskError } from './errors.js';

export interface ConfirmOptions {
  /** What the operator is asked, e.g. "Apply these changes?". */
  question: string;
  /** The exact text they must type. */
  expected: string;
  /** Already approved with --yes. */
  yes: boolean;
  /** The task that asks, e.g. "apply": named when refusing or cancelling. */
  action: string;
  /** How to go on without a terminal, e.g. "re-run with --yes (npm run destroy -- --yes)". */
  withoutTerminal: string;
}

/** Without a terminal (CI, pipes) no one can answer: refuse rather than hang. Tasks call it before any work. */
export function assertCanConfirm(ctx: TaskContext, options: ConfirmOptions): void {
  if (options.yes || ctx.interactive) return;
  throw new TaskError(`Refusing to ${options.action} without confirmation: no terminal to ask on.`, {
    code: 'CONFIRMATION_REQUIRED',
    hint: options.withoutTerminal,
  });
}

/** Ctrl-C, Ctrl-D or a signal at the prompt: an answer too, and nothing has been done yet. */
function cancelled(options: ConfirmOptions, how: string): TaskError {
  const action = `${options.action.charAt(0).toUpperCase()}${options.action.slice(1)}`;
  return new TaskError(`${action} cancelled at the prompt (${how}); nothing was changed.`, {
    code: 'CANCELLED',
    hint: `Run npm run ${options.action} again when ready.`,
    exitCode: ExitCode.interrupted,
  });
}

/** Asks on the context's terminal (the prompt on stderr, so stdout stays data); true only when the operator typed the expected text. */
export async function confirm(ctx: TaskContext, options: ConfirmOptions): Promise<boolean> {
  if (options.yes) return true;
  assertCanConfirm(ctx, options);
  const rl = createInterface({ input: ctx.io.stdin, output: ctx.io.stderr, terminal: ctx.io.terminal });
  try {
    const answer = await rl.question(`${options.question} Type "${options.expected}" to continue: `, { signal: ctx.signal });
    return answer.trim() === options.expected;
  } catch (error) {
    // readline rejects with AbortError for Ctrl-C/Ctrl-D on a terminal, and for the task's signal (SIGINT, SIGTERM).
    if (error instanceof Error && error.name === 'AbortError')
      throw cancelled(options, ctx.signal.aborted ? 'interrupted' : (/Ctrl\+\w/.exec(error.message)?.[0] ?? 'input closed'));
    throw error;
  } finally {
    rl.close();
  }
}
