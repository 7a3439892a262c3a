import { Readable, Writable } from 'node:stream';
import type { TaskContext } from '../lib/core/context.js';
import { createLogger } from '../lib/core/log.js';

/** A context for product code the bench calls in-process: nothing it prints mixes into the table (errors still throw). */
export function benchContext(projectDir: string, env: NodeJS.ProcessEnv): TaskContext {
  const sink = new Writable({ write: (_chunk, _encoding, done) => done() });
  return {
    projectDir,
    env,
    log: createLogger({ verbose: false, quiet: true, color: false, interactive: false, stderr: sink }),
    io: { stdout: sink, stderr: sink, stdin: Readable.from([]), terminal: false },
    interactive: false,
    signal: new AbortController().signal,
  };
}
