import { PassThrough } from 'node:stream';
import { inspect } from 'node:util';
import './no-leftovers.js';
import type { TaskContext, TaskIo } from '../../lib/core/context.js';
import type { Logger } from '../../lib/core/log.js';

export type MemoryLogger = Logger & { lines: string[] };

/** A logger that keeps every line, uncoloured. */
export function createMemoryLogger(): MemoryLogger {
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
    printAbove: (stream, text) => void stream.write(text),
    color: false,
    interactive: false,
    paint: (_colour, text) => text,
  };
}

/** Streams that keep what is written; stdin stays open and silent unless a test writes to it. */
export function memoryIo(): TaskIo & { written: () => string } {
  const stdout = new PassThrough();
  const chunks: string[] = [];
  stdout.on('data', (c: Buffer) => chunks.push(c.toString()));
  return { stdout, stderr: new PassThrough().resume(), stdin: new PassThrough(), terminal: false, written: () => chunks.join('') };
}

export type TestContext = TaskContext & { log: MemoryLogger; io: ReturnType<typeof memoryIo> };

/**
 * A task context for tests: the work tree as the project, an empty environment, captured output.
 * Nothing of the developer's shell (AWS_PROFILE, TOOLS_CACHE_DIR, ...) reaches a task unless the
 * test passes it in `env`.
 */
export function testContext(overrides: Partial<Omit<TaskContext, 'log' | 'io'>> = {}): TestContext {
  return {
    projectDir: process.cwd(),
    env: {},
    interactive: false,
    signal: new AbortController().signal,
    ...overrides,
    log: createMemoryLogger(),
    io: memoryIo(),
  };
}
