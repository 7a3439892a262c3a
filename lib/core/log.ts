/** Where task output goes; tests pass their own to capture lines. */
export interface Logger {
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
  /** Only shown with --verbose. Callers must pass already-redacted text. */
  debug(message: string): void;
  /** A progress update for long waits (builds, bucket readiness); see createLogger. */
  progress(message: string): void;
  /** Whether output is coloured (a terminal, no NO_COLOR, no --no-color): children get --no-color otherwise. */
  readonly color: boolean;
  /** Whether human output goes to a terminal (not CI): progress rewrites one line there, else it is plain lines. */
  readonly interactive: boolean;
  /**
   * Writes whole lines to `stream` (a child's output, a unit's block): a progress line shown on
   * the terminal is cleared first and drawn again below them, so neither is cut mid-line.
   */
  printAbove(stream: NodeJS.WritableStream, text: string): void;
  /** The text in that colour when output is coloured, else as it is. */
  paint(colour: Colour, text: string): string;
}

export interface LoggerOptions {
  verbose: boolean;
  quiet: boolean;
  color: boolean;
  interactive: boolean;
  stderr?: NodeJS.WritableStream;
}

const codes = { red: 31, yellow: 33, dim: 2, green: 32, cyan: 36 } as const;
export type Colour = keyof typeof codes;

function paint(enabled: boolean, colour: Colour, text: string): string {
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
  let progressLine = '';
  const write = (text: string): void => {
    err.write(`${progressShown ? '\n' : ''}${text}\n`);
    progressShown = false;
  };
  const progress = (m: string): void => {
    if (options.quiet) return;
    if (!options.interactive) return write(`... ${m}`);
    progressLine = `\r\u001b[K${paint(options.color, 'cyan', `… ${m}`.slice(0, 200))}`;
    err.write(progressLine);
    progressShown = true;
  };
  const printAbove = (stream: NodeJS.WritableStream, text: string): void => {
    if (!progressShown) return void stream.write(text);
    err.write('\r\u001b[K');
    stream.write(text);
    err.write(progressLine);
  };
  return {
    info: (m) => options.quiet || write(m),
    warn: (m) => write(paint(options.color, 'yellow', `warning: ${m}`)),
    error: (m) => write(paint(options.color, 'red', m)),
    debug: (m) => options.verbose && write(paint(options.color, 'dim', m)),
    progress,
    printAbove,
    color: options.color,
    interactive: options.interactive,
    paint: (colour, text) => paint(options.color, colour, text),
  };
}
