/**
 * Exit codes the CLI uses (the README's table). Terraform's meaning of 2 ("plan has
 * changes") is kept for `plan --detailed-exitcode`, so bad input has a code of its own
 * that a drift check cannot mistake for drift: 64, EX_USAGE of sysexits.h.
 */
export const ExitCode = {
  ok: 0,
  failure: 1,
  /** plan --detailed-exitcode: the plan has changes (Terraform's meaning). */
  planChanges: 2,
  /** Bad input: usage, settings, .env, arguments. Nothing was changed. */
  config: 64,
  interrupted: 130,
} as const;

export interface TaskErrorOptions {
  /** Stable machine-readable code, e.g. `CONFIG_INVALID`, `BUCKET_FOREIGN`. */
  code: string;
  /** The next step for the operator, ideally a command to run. */
  hint?: string;
  exitCode?: number;
  cause?: unknown;
}

/** An expected failure: it carries what went wrong and how to fix it. */
export class TaskError extends Error {
  readonly code: string;
  readonly hint: string | undefined;
  readonly exitCode: number;

  constructor(message: string, options: TaskErrorOptions) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'TaskError';
    this.code = options.code;
    this.hint = options.hint;
    this.exitCode = options.exitCode ?? ExitCode.failure;
  }
}

/** Reads the AWS error name of an SDK exception without trusting its shape. */
export function awsErrorName(error: unknown): string | undefined {
  if (typeof error === 'object' && error !== null && 'name' in error) {
    return typeof error.name === 'string' ? error.name : undefined;
  }
  return undefined;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP status of an SDK exception, when the service answered at all. */
export function httpStatus(error: unknown): number | undefined {
  const metadata = (error as { $metadata?: { httpStatusCode?: unknown } } | null)?.$metadata;
  return typeof metadata?.httpStatusCode === 'number' ? metadata.httpStatusCode : undefined;
}
