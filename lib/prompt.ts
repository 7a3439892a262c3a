import { createInterface } from 'node:readline/promises';
import type { TaskContext } from './context.js';
import { TaskError } from './errors.js';

export interface ConfirmOptions {
  /** What the operator is asked, e.g. "Apply these changes?". */
  question: string;
  /** The exact text they must type. */
  expected: string;
  /** Already approved with --yes. */
  yes: boolean;
  /** The flag to mention when refusing without a terminal. */
  action: string;
}

/** Asks on a terminal; without one (CI, pipes) it refuses rather than hang waiting for input. */
export async function confirm(ctx: TaskContext, options: ConfirmOptions): Promise<boolean> {
  if (options.yes) return true;
  if (!ctx.interactive) {
    throw new TaskError(`Refusing to ${options.action} without confirmation: no terminal to ask on.`, {
      code: 'CONFIRMATION_REQUIRED',
      hint: `Review the plan above, then re-run with --yes (npm run ${options.action} -- --yes).`,
    });
  }
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${options.question} Type "${options.expected}" to continue: `, { signal: ctx.signal });
    return answer.trim() === options.expected;
  } finally {
    rl.close();
  }
}
