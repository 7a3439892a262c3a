import { ExitCode, TaskError } from '../core/errors.js';
import { endpointFor, services, type AwsScope, type Service } from './clients.js';

/** Where a service's calls go, for messages: the configured endpoint, else AWS's own in the region. */
function endpointName(scope: AwsScope, service: Service): string {
  const endpoint = endpointFor(service, scope.config);
  const { label, setting } = services[service];
  return endpoint === undefined ? `the ${label} endpoint of AWS (${setting} unset)` : `the ${label} endpoint ${endpoint} (${setting})`;
}

/** Ctrl-C or SIGTERM during a call: 130, and where it stopped. */
export function interrupted(scope: AwsScope, service: Service): TaskError {
  return new TaskError(`Interrupted while waiting for ${endpointName(scope, service)}.`, {
    code: 'INTERRUPTED',
    hint: 'Run the task again when ready: it checks again what is already done.',
    exitCode: ExitCode.interrupted,
  });
}

/** A call that got no answer within DEPLOY_AWS_TIMEOUT_SECONDS. */
function unanswered(scope: AwsScope, service: Service, cause: unknown): TaskError {
  const { setting } = services[service];
  return new TaskError(`No answer from ${endpointName(scope, service)} within ${scope.config.awsTimeoutSeconds}s.`, {
    code: 'ENDPOINT_SILENT',
    hint: `Check ${setting} (or network access to AWS, or that the sandbox is running), or raise DEPLOY_AWS_TIMEOUT_SECONDS; then npm run doctor.`,
    cause,
  });
}

export function isTimeout(error: unknown): boolean {
  return error instanceof Error && error.name === 'TimeoutError';
}

/** The failure of a bounded call: interrupted, unanswered, or the call's own error unchanged. */
function stopped(error: unknown, scope: AwsScope, service: Service, deadline: AbortSignal): unknown {
  if (scope.signal.aborted) return interrupted(scope, service);
  if (deadline.aborted || isTimeout(error)) return unanswered(scope, service, error);
  return error;
}

/** The signal of one call: the scope's, and a deadline of DEPLOY_AWS_TIMEOUT_SECONDS. */
export function callSignals(scope: AwsScope): { deadline: AbortSignal; signal: AbortSignal } {
  const deadline = AbortSignal.timeout(scope.config.awsTimeoutSeconds * 1000);
  return { deadline, signal: AbortSignal.any([scope.signal, deadline]) };
}

interface Sender {
  send(command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown>;
}

/**
 * The client with every `send` bounded by DEPLOY_AWS_TIMEOUT_SECONDS and stopped by the
 * scope's signal (the request is aborted, its socket closed). All calls go through here,
 * the SDK waiters' included, so no call can hang a task or outlive it.
 */
export function bounded<C extends object>(client: C, service: Service, scope: AwsScope): C {
  const sender = client as unknown as Sender;
  const send = async (command: unknown, options?: { abortSignal?: AbortSignal }): Promise<unknown> => {
    const { deadline, signal } = callSignals(scope);
    const abortSignal = options?.abortSignal ? AbortSignal.any([signal, options.abortSignal]) : signal;
    try {
      return await sender.send(command, { ...options, abortSignal });
    } catch (error) {
      throw stopped(error, scope, service, deadline);
    }
  };
  return new Proxy(client, { get: (target, key, receiver) => (key === 'send' ? send : Reflect.get(target, key, receiver)) });
}

/** Settles with `work`, or rejects as soon as `signal` aborts (the caller then tears the work down). */
export function untilAborted<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(signal.reason as Error);
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_resolve, reject) => {
    onAbort = () => reject(signal.reason as Error);
    signal.addEventListener('abort', onAbort, { once: true });
  });
  return Promise.race([work, aborted]).finally(() => signal.removeEventListener('abort', onAbort));
}
