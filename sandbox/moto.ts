import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TaskError } from '../lib/core/errors.js';
import { startProcess, type RunningProcess } from '../lib/core/process.js';

const motoEntry = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'sandbox', 'moto_server.py');

export interface MotoServer {
  url: string;
  /** moto's process id (the bench reads its CPU time); undefined if the system gave none. */
  pid: number | undefined;
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
 * Starts moto on a free port (-p 0) through the process runner (its own process group) and
 * waits for its own "Running on http://host:port" line: readiness is the server saying it
 * listens, bounded by a timeout, never a sleep.
 */
export async function startMoto(options: MotoOptions): Promise<MotoServer> {
  const seen: string[] = [];
  let listening: (url: string) => void = () => undefined;
  const ready = new Promise<string>((resolve) => (listening = resolve));
  // moto_server.py (next to this module's source) is moto with one documented correction.
  const python = join(dirname(options.bin), 'python');
  const moto = await startProcess(python, [motoEntry, '-H', options.host, '-p', '0'], {
    cwd: dirname(options.bin),
    env: options.env,
    onLine: (line) => {
      seen.push(line);
      const match = /Running on (http:\/\/[^\s]+)/.exec(line);
      if (match?.[1]) listening(match[1]);
    },
  });
  let timer: NodeJS.Timeout | undefined;
  const outcome = await Promise.race([
    ready.then((url) => ({ url })),
    moto.result.then((r) => ({
      ended: r.spawnError ?? `moto exited with code ${String(r.exitCode)} before listening:\n${seen.join('\n')}`,
    })),
    new Promise<{ ended: string }>((resolve) => {
      timer = setTimeout(
        () => resolve({ ended: `moto did not report listening within ${options.startTimeoutMs} ms; it printed:\n${seen.join('\n')}` }),
        options.startTimeoutMs,
      );
    }),
  ]).finally(() => clearTimeout(timer));
  if ('ended' in outcome) {
    await stopProcess(moto, 'SIGKILL');
    throw startFailure(outcome.ended);
  }
  return { url: outcome.url, pid: moto.pid, stop: () => stopProcess(moto, 'SIGTERM') };
}

function startFailure(message: string): TaskError {
  return new TaskError(`The sandbox could not start moto: ${message}`, {
    code: 'SANDBOX_START_FAILED',
    hint: 'Reinstall it with npm run tools -- --only moto; a slow machine may need a larger DEPLOY_SANDBOX_START_TIMEOUT_SECONDS.',
  });
}

/** Signals moto's process group, then waits for it to end: the port is free when this resolves. */
async function stopProcess(moto: RunningProcess, signal: NodeJS.Signals): Promise<void> {
  await moto.kill(signal);
  await moto.result;
}
