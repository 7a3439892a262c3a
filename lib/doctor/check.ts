import { errorMessage, TaskError } from '../errors.js';

export type CheckStatus = 'pass' | 'warn' | 'fail';

/** One line of the doctor report. */
export interface CheckResult {
  id: string;
  title: string;
  status: CheckStatus;
  message: string;
  /** The fix, for anything not passing. */
  hint?: string;
  durationMs: number;
}

export type CheckOutcome = Omit<CheckResult, 'id' | 'title' | 'durationMs'>;

export interface Check {
  id: string;
  title: string;
  run: () => CheckOutcome | Promise<CheckOutcome>;
}

export const pass = (message: string): CheckOutcome => ({ status: 'pass', message });
export const warn = (message: string, hint: string): CheckOutcome => ({ status: 'warn', message, hint });
export const fail = (message: string, hint: string): CheckOutcome => ({ status: 'fail', message, hint });

/**
 * Runs a check with a bound: a check that cannot finish (no network) fails with its
 * reason instead of hanging, and a check that throws never stops the others.
 */
export async function runCheck(check: Check, timeoutMs: number): Promise<CheckResult> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const bound = new Promise<CheckOutcome>((resolve) => {
    timer = setTimeout(
      () =>
        resolve(
          fail(`did not finish within ${timeoutMs / 1000}s`, 'Check network access to the endpoint (or raise DEPLOY_AWS_TIMEOUT_SECONDS).'),
        ),
      timeoutMs,
    );
  });
  const outcome = await Promise.race([Promise.resolve().then(check.run).catch(asOutcome), bound]);
  clearTimeout(timer);
  return { id: check.id, title: check.title, ...outcome, durationMs: Math.round(performance.now() - started) };
}

function asOutcome(error: unknown): CheckOutcome {
  if (error instanceof TaskError) return fail(error.message, error.hint ?? 'See the message.');
  return fail(`unexpected error: ${errorMessage(error)}`, 'This is a bug in the check; run with --verbose and report it.');
}
