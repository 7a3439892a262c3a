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
  /** `signal` aborts at the check's bound or on Ctrl-C: its calls stop and release their sockets. */
  run: (signal: AbortSignal) => CheckOutcome | Promise<CheckOutcome>;
}

export const pass = (message: string): CheckOutcome => ({ status: 'pass', message });
export const warn = (message: string, hint: string): CheckOutcome => ({ status: 'warn', message, hint });
export const fail = (message: string, hint: string): CheckOutcome => ({ status: 'fail', message, hint });

/**
 * Runs a check with a bound: a check that cannot finish (no network) fails with its reason
 * instead of hanging, and a check that throws never stops the others. At the bound (or on
 * `stop`, Ctrl-C) the check's signal aborts, so nothing it started outlives the report.
 */
export async function runCheck(check: Check, timeoutMs: number, stop: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const bound = AbortSignal.timeout(timeoutMs);
  const signal = AbortSignal.any([stop, bound]);
  let onAbort = (): void => undefined;
  const stopped = new Promise<CheckOutcome>((resolve) => {
    onAbort = () =>
      resolve(
        stop.aborted
          ? fail('interrupted', 'Run npm run doctor again.')
          : fail(
              `did not finish within ${timeoutMs / 1000}s`,
              'Check network access to the endpoint (or raise DEPLOY_AWS_TIMEOUT_SECONDS).',
            ),
      );
    signal.addEventListener('abort', onAbort, { once: true });
  });
  const outcome = await Promise.race([Promise.resolve(signal).then(check.run).catch(asOutcome), stopped]);
  signal.removeEventListener('abort', onAbort);
  return { id: check.id, title: check.title, ...outcome, durationMs: Math.round(performance.now() - started) };
}

function asOutcome(error: unknown): CheckOutcome {
  if (error instanceof TaskError) return fail(error.message, error.hint ?? 'See the message.');
  return fail(`unexpected error: ${errorMessage(error)}`, 'This is a bug in the check; run with --verbose and report it.');
}
