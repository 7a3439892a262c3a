import { Writable } from 'node:stream';
import type { TaskContext } from '../core/context.js';
import type { Logger } from '../core/log.js';

/**
 * A stream that writes whole lines only, each with the unit's prefix, through the logger (so a
 * progress line on the terminal stays below them). Units running side by side then share the
 * terminal or the CI log line by line, never mid-line. A last line without its newline is
 * written when the stream ends.
 */
class PrefixedLines extends Writable {
  private partial = '';

  constructor(
    private readonly target: NodeJS.WritableStream,
    private readonly prefix: string,
    private readonly log: Logger,
  ) {
    super({ decodeStrings: false });
  }

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, done: (error?: Error | null) => void): void {
    const text = this.partial + (typeof chunk === 'string' ? chunk : chunk.toString('utf8'));
    const end = text.lastIndexOf('\n');
    this.partial = text.slice(end + 1);
    if (end >= 0) this.emitLines(text.slice(0, end).split('\n'));
    done();
  }

  override _final(done: (error?: Error | null) => void): void {
    if (this.partial !== '') this.emitLines([this.partial]);
    this.partial = '';
    done();
  }

  private emitLines(lines: string[]): void {
    this.log.printAbove(this.target, lines.map((l) => `${this.prefix}${l}\n`).join(''));
  }
}

/** Each line of `message` with the prefix, so a multi-line error stays attributed to its unit. */
function prefixed(prefix: string, message: string): string {
  return message
    .split('\n')
    .map((l) => `${prefix}${l}`)
    .join('\n');
}

function prefixedLogger(log: Logger, prefix: string): Logger {
  return {
    info: (m) => log.info(prefixed(prefix, m)),
    warn: (m) => log.warn(prefixed(prefix, m)),
    error: (m) => log.error(prefixed(prefix, m)),
    debug: (m) => log.debug(prefixed(prefix, m)),
    progress: (m) => log.progress(prefixed(prefix, m)),
    printAbove: (stream, text) => log.printAbove(stream, text),
    color: log.color,
    interactive: log.interactive,
    paint: (colour, text) => log.paint(colour, text),
  };
}

/** A unit's view of the task context while other units run beside it, and how to end it. */
export interface UnitView {
  ctx: TaskContext;
  /** Writes what is left of a last unterminated line; called once the unit's step is over. */
  close: () => Promise<void>;
}

/**
 * The task context for one unit of a run over several: its terragrunt output and its log lines
 * carry `[unit] `, line by line. Everything else (signals, environment, stdin) is the task's.
 */
export function unitView(ctx: TaskContext, unit: string): UnitView {
  const prefix = `[${unit}] `;
  const stdout = new PrefixedLines(ctx.io.stdout, prefix, ctx.log);
  const stderr = new PrefixedLines(ctx.io.stderr, prefix, ctx.log);
  const ended = (s: Writable): Promise<void> => new Promise((resolve) => s.end(resolve));
  return {
    ctx: { ...ctx, log: prefixedLogger(ctx.log, prefix), io: { ...ctx.io, stdout, stderr } },
    close: async () => {
      await Promise.all([ended(stdout), ended(stderr)]);
    },
  };
}
