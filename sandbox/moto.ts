import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { TaskError } from '../lib/core/errors.js';

const motoEntry = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sandbox', 'moto_server.py');

export interface MotoServer {
  url: string;
  process: ChildProcess;
  stop(): Promise<void>;
}

export interface MotoOptions {
  /** The moto_server executable in the project-owned virtualenv (its python runs our entry). */
  bin: string;
  host: string;
  /** Give up on start-up after this long (from configuration). */
  startTimeoutMs: number;
  env: NodeJS.ProcessEnv;
}

/**
 * Starts moto on a free port (-p 0) and waits for its own "Running on http://host:port"
 * line: readiness is the server saying it listens, bounded by a timeout, never a sleep.
 */
export async function startMoto(options: MotoOptions): Promise<MotoServer> {
  // moto_server.py (next to this module's source) is moto with one documented correction.
  const python = join(dirname(options.bin), 'python');
  const child = spawn(python, [motoEntry, '-H', options.host, '-p', '0'], { env: options.env, stdio: ['ignore', 'pipe', 'pipe'] });
  const seen: string[] = [];
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(startFailure(`moto did not report listening within ${options.startTimeoutMs} ms; it printed:\n${seen.join('\n')}`)),
      options.startTimeoutMs,
    );
    const onLine = (line: string): void => {
      seen.push(line);
      const match = /Running on (http:\/\/[^\s]+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    createInterface({ input: child.stderr }).on('line', onLine);
    createInterface({ input: child.stdout }).on('line', onLine);
    child.once('error', (error) => {
      clearTimeout(timer);
      reject(startFailure(`could not start ${options.bin}: ${error.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(startFailure(`moto exited with code ${code} before listening:\n${seen.join('\n')}`));
    });
  }).catch((error: unknown) => {
    child.kill('SIGKILL');
    throw error;
  });
  return { url, process: child, stop: () => stopProcess(child) };
}

function startFailure(message: string): TaskError {
  return new TaskError(`The sandbox could not start moto: ${message}`, {
    code: 'SANDBOX_START_FAILED',
    hint: 'Reinstall it with npm run tools -- --only moto; a slow machine may need a larger DEPLOY_SANDBOX_START_TIMEOUT_SECONDS.',
  });
}

/** SIGTERM, then wait for the exit event: the port is free when this resolves. */
async function stopProcess(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  await exited;
}
