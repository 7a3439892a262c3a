import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { test } from 'node:test';
import { createLogger, type LoggerOptions } from '../../lib/core/log.js';

function capture(options: Omit<LoggerOptions, 'stderr'>): { text: () => string; log: ReturnType<typeof createLogger> } {
  const stderr = new PassThrough();
  const chunks: string[] = [];
  stderr.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { text: () => chunks.join(''), log: createLogger({ ...options, stderr }) };
}

test('in CI (no terminal) every progress update is its own plain line', () => {
  const c = capture({ verbose: false, quiet: false, color: false, interactive: false });
  c.log.progress('compiling 25 packages');
  c.log.info('done');
  assert.equal(c.text(), '... compiling 25 packages\ndone\n');
});

test('on a terminal progress rewrites one line, and the next message starts on a new line', () => {
  const c = capture({ verbose: false, quiet: false, color: false, interactive: true });
  c.log.progress('one');
  c.log.progress('two');
  c.log.info('done');
  assert.equal(c.text(), '\r\u001b[K… one\r\u001b[K… two\ndone\n');
});

test('--quiet keeps only warnings and errors; --verbose adds debug lines; colour only when asked', () => {
  const quiet = capture({ verbose: false, quiet: true, color: false, interactive: false });
  quiet.log.info('info');
  quiet.log.progress('progress');
  quiet.log.debug('debug');
  quiet.log.error('error');
  assert.equal(quiet.text(), 'error\n');
  const verbose = capture({ verbose: true, quiet: false, color: true, interactive: false });
  verbose.log.debug('$ terragrunt plan');
  assert.equal(verbose.text(), '\u001b[2m$ terragrunt plan\u001b[0m\n');
});

test("on a terminal a unit's lines go above the progress line, which is drawn again below them", () => {
  const c = capture({ verbose: false, quiet: false, color: false, interactive: true });
  const out = new PassThrough();
  const printed: string[] = [];
  out.on('data', (d: Buffer) => printed.push(d.toString()));
  c.log.printAbove(out, 'before any progress\n');
  c.log.progress('1 of 3 units done');
  c.log.printAbove(out, '[a] Plan: 1 to add.\n');
  assert.equal(printed.join(''), 'before any progress\n[a] Plan: 1 to add.\n');
  assert.equal(c.text(), '\r\u001b[K… 1 of 3 units done\r\u001b[K\r\u001b[K… 1 of 3 units done');
});
