import type { Overrides } from '../lib/config/load.js';
import type { TaskContext } from '../lib/core/context.js';
import type { CheckResult, CheckStatus } from './doctor/check.js';
import { runDoctor } from './doctor/run.js';
import { ExitCode } from '../lib/core/errors.js';
import type { Colour, Logger } from '../lib/core/log.js';

export interface DoctorReportOptions {
  /** Parsed argv: doctor validates the settings itself so an invalid one is a check, not a crash. */
  overrides: Overrides;
  json: boolean;
  /** Warnings fail too. */
  strict: boolean;
  /** Every unit: also the GitHub Actions push role (exists, trust, policy). */
  all: boolean;
}

const marks: Record<CheckStatus, { mark: string; colour: Colour }> = {
  pass: { mark: 'ok  ', colour: 'green' },
  warn: { mark: 'warn', colour: 'yellow' },
  fail: { mark: 'FAIL', colour: 'red' },
};

function formatReport(results: CheckResult[], log: Pick<Logger, 'paint'>): string {
  const width = Math.max(...results.map((r) => r.title.length));
  const lines = results.map((r) => {
    const { mark, colour } = marks[r.status];
    const fix = r.hint && r.status !== 'pass' ? `\n${' '.repeat(width + 9)}fix: ${r.hint}` : '';
    return `${log.paint(colour, mark)}  ${r.title.padEnd(width)}  ${r.message}${fix}`;
  });
  return `${lines.join('\n')}\n`;
}

function exitCodeFor(results: CheckResult[], strict: boolean): number {
  if (results.some((r) => r.id === 'config' && r.status === 'fail')) return ExitCode.config;
  const failing = results.some((r) => r.status === 'fail' || (strict && r.status === 'warn'));
  return failing ? ExitCode.failure : ExitCode.ok;
}

/** Read-only preflight: every check runs (concurrently), one line each, with the fix for each problem. */
export async function run(opts: DoctorReportOptions, ctx: TaskContext): Promise<number> {
  const results = await runDoctor(ctx, { overrides: opts.overrides, all: opts.all });
  // Ctrl-C: the checks stopped early; no report of half of them (the CLI exits 130).
  ctx.signal.throwIfAborted();
  if (opts.json) {
    ctx.io.stdout.write(`${JSON.stringify({ ok: exitCodeFor(results, opts.strict) === 0, checks: results }, null, 2)}\n`);
  } else {
    ctx.io.stdout.write(formatReport(results, ctx.log));
  }
  return exitCodeFor(results, opts.strict);
}
