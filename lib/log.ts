import { inspect } from 'node:util';

/** Where task output goes; tests pass their own to capture lines. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Only shown with --verbose. Callers must pass already-redacted text. */
  debug(message: string): void;
  /** A progress update for long waits (builds, bucket readiness); see createLogger. */
  progress(message: string): void;
}

export interface LoggerOptions {
  verbose: boolean;
  quiet: boolean;
  color: boolean;
  interactive: boolean;
  stdout?: NodeJS.WritableStream;
  stderr?: NodeJS.WritableStream;
}

const codes = { red: 31, yellow: 33, dim: 2, green: 32, cyan: 36 } as const;
export type Colour = keyof typeof codes;

export function paint(enabled: boolean, colour: Colour, text: string): string {
  return enabled ? `\u001b[${codes[colour]}m${text}\u001b[0m` : text;
}

/**
 * A logger writing human output to stderr, so stdout stays clean for data (output --json).
 * Progress rewrites one line on a terminal; elsewhere (CI logs) each update is a plain line,
 * so a long build is never silent. --quiet drops both.
 */
export function createLogger(options: LoggerOptions): Logger {
  const err = options.stderr ?? process.stderr;
  let progressShown = false;
  const write = (text: string): void => {
    err.write(`${progressShown ? '\n' : ''}${text}\n`);
    progressShown = false;
  };
  const progress = (m: string): void => {
    if (options.quiet) return;
    if (!options.interactive) return write(`... ${m}`);
    err.write(`\r\u001b[K${paint(options.color, 'cyan', `… ${m}`.slice(0, 200))}`);
    progressShown = true;
  };
  return {
    info: (m) => options.quiet || write(m),
    warn: (m) => write(paint(options.color, 'yellow', `warning: ${m}`)),
    error: (m) => write(paint(options.color, 'red', m)),
    debug: (m) => options.verbose && write(paint(options.color, 'dim', m)),
    progress,
  };
}

/** A logger that keeps every line, for tests. */
export function createMemoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const keep = (prefix: string) => (m: string) => {
    lines.push(`${prefix}${typeof m === 'string' ? m : inspect(m)}`);
  };
  return {
    lines,
    info: keep(''),
    warn: keep('warning: '),
    error: keep(''),
    debug: keep('debug: '),
    progress: keep('progress: '),
  };
}
