import type { ResolvedCredentials } from '../../lib/aws/credentials.js';
import type { Config } from '../../lib/config/load.js';
import { errorMessage, TaskError } from '../../lib/core/errors.js';

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

/** What a check can need before it runs: the validated configuration, the AWS credentials, the pinned terraform. */
interface Needs {
  config: Config;
  credentials: ResolvedCredentials;
  terraform: string;
}

/** Hands a check what it declared, and only that (the runner provides each need once for all checks). */
type Provide<N extends keyof Needs> = <K extends N>(need: K) => Promise<Needs[K]>;

/** How the runner obtains each need; a rejection is the reason every check needing it fails. */
export type Providers = { [K in keyof Needs]: (signal: AbortSignal) => Promise<Needs[K]> };

export interface Check<N extends keyof Needs = keyof Needs> {
  id: string;
  title: string;
  /** Obtained before `run` starts: when one cannot be had, the check fails with that need's reason and never runs. */
  needs: readonly N[];
  /** `signal` aborts at the check's bound or on Ctrl-C: its calls stop and release their sockets. */
  run: (provide: Provide<N>, signal: AbortSignal) => CheckOutcome | Promise<CheckOutcome>;
}

export const pass = (message: string): CheckOutcome => ({ status: 'pass', message });
export const warn = (message: string, hint: string): CheckOutcome => ({ status: 'warn', message, hint });
export const fail = (message: string, hint: string): CheckOutcome => ({ status: 'fail', message, hint });

/**
 * Runs a check with a bound: a check that cannot finish (no network) fails with its reason
 * instead of hanging, and a check that throws never stops the others. At the bound (or on
 * `stop`, Ctrl-C) the check's signal aborts, so nothing it started outlives the report.
 */
export async function runCheck(check: Check, timeoutMs: number, stop: AbortSignal, providers: Providers): Promise<CheckResult> {
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
  const provide = <K extends keyof Needs>(need: K): Promise<Needs[K]> => providers[need](signal);
  const ready = Promise.all(check.needs.map((need) => provide(need))).then(() => check.run(provide, signal));
  const outcome = await Promise.race([ready.catch(asOutcome), stopped]);
  signal.removeEventListener('abort', onAbort);
  return { id: check.id, title: check.title, ...outcome, durationMs: Math.round(performance.now() - started) };
}

function asOutcome(error: unknown): CheckOutcome {
  if (error instanceof TaskError) return fail(error.message, error.hint ?? 'See the message.');
  return fail(`unexpected error: ${errorMessage(error)}`, 'This is a bug in the check; run with --verbose and report it.');
}
