import { join } from 'node:path';
import { TaskError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { isExecutable } from './cache.js';
import type { PythonPin } from './tools-lock.js';
import { formatDuration, pickEnv, type RunResult, type Runner } from './version-check.js';

export interface VenvOptions {
  tool: string;
  pin: PythonPin;
  venvDir: string;
  /** The machine's python3 (from PATH); only used to create the venv. */
  python: string | undefined;
  env: NodeJS.ProcessEnv;
  log: Logger;
  runner: Runner;
  signal?: AbortSignal;
}

type VenvState = { installed: true; version: string } | { installed: false; reason: string };

/** pip's own settings (index, certificates, timeouts) pass through; PYTHONPATH never does. */
const pythonEnvNames = [
  'PATH',
  'HOME',
  'USER',
  'TMPDIR',
  'LANG',
  'LC_ALL',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'REQUESTS_CA_BUNDLE',
  'HTTP_PROXY',
  'HTTPS_PROXY',
  'NO_PROXY',
  'http_proxy',
  'https_proxy',
  'no_proxy',
];
const pythonEnvPrefixes = ['PIP_', 'PYENV_'];

function pythonEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return pickEnv(env, pythonEnvNames, pythonEnvPrefixes);
}

function venvPython(venvDir: string): string {
  return join(venvDir, 'bin', 'python');
}

function requirement(pin: PythonPin): string {
  const extras = pin.extras.length > 0 ? `[${pin.extras.join(',')}]` : '';
  return `${pin.package}${extras}==${pin.version}`;
}

/** What `pip show` says about the pinned package in the venv, if the venv exists. */
async function inspectVenv(options: VenvOptions): Promise<VenvState> {
  const python = venvPython(options.venvDir);
  if (!(await isExecutable(python))) return { installed: false, reason: `no virtualenv at ${options.venvDir}` };
  const result = await options.runner({
    command: python,
    args: ['-m', 'pip', 'show', options.pin.package],
    env: pythonEnv(options.env),
    signal: options.signal,
  });
  const version = /^Version:\s*(\S+)\s*$/m.exec(result.stdout)?.[1];
  if (result.exitCode !== 0 || version === undefined) {
    return { installed: false, reason: `${options.pin.package} is not installed in ${options.venvDir}` };
  }
  if (version !== options.pin.version) {
    return { installed: false, reason: `${options.venvDir} has ${options.pin.package} ${version}, not ${options.pin.version}` };
  }
  return { installed: true, version };
}

/** Creates the venv when missing and pip-installs the pin into it; returns the time spent. */
async function installIntoVenv(options: VenvOptions): Promise<{ durationMs: number }> {
  const { venvDir, tool, pin, log } = options;
  const python = venvPython(venvDir);
  let durationMs = 0;
  if (!(await isExecutable(python))) {
    if (options.python === undefined) {
      throw new TaskError(`cannot create a virtualenv for ${tool}: python3 is not on PATH`, {
        code: 'TOOL_INSTALL_FAILED',
        hint: 'apt-get install -y python3 python3-venv, then rerun: npm run tools',
      });
    }
    const created = await run(options, options.python, ['-m', 'venv', venvDir]);
    durationMs += created.durationMs;
  }
  const args = ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-input', requirement(pin)];
  const installed = await run(options, python, args, (line) => {
    if (/^(Collecting|Installing collected|Successfully installed)/.test(line)) log.progress(`${tool}: ${line}`);
  });
  return { durationMs: durationMs + installed.durationMs };
}

async function run(options: VenvOptions, command: string, args: string[], onLine?: (line: string) => void): Promise<RunResult> {
  const result = await options.runner({ command, args, env: pythonEnv(options.env), onLine, signal: options.signal });
  if (result.exitCode === 0) return result;
  const what = result.spawnError ?? `exited ${String(result.exitCode)}`;
  const rerun = `${command} ${args.join(' ')}`;
  throw new TaskError(
    [`cannot install ${options.tool} ${options.pin.version}: \`${rerun}\` ${what}; last output:`, ...result.tail.map((l) => `  ${l}`)].join(
      '\n',
    ),
    {
      code: 'TOOL_INSTALL_FAILED',
      hint: `fix the cause above, then rerun: ${rerun}  (or: npm run tools)`,
    },
  );
}

export type VenvOutcome = { source: 'cache' | 'built' | 'unavailable'; detail: string; durationMs?: number };

/** Reuses the venv when pip show reports the pin; otherwise installs it (when allowed) and checks again. */
export async function provideVenv(options: VenvOptions, install: boolean): Promise<VenvOutcome> {
  const before = await inspectVenv(options);
  if (before.installed) return { source: 'cache', detail: 'already installed (cached)' };
  if (!install) return { source: 'unavailable', detail: `${before.reason}; install it: npm run tools` };
  options.log.info(`installing ${options.tool} ${options.pin.version} into ${options.venvDir}`);
  const { durationMs } = await installIntoVenv(options);
  const after = await inspectVenv(options);
  if (!after.installed) {
    throw new TaskError(`pip finished but ${after.reason}`, {
      code: 'TOOL_INSTALL_FAILED',
      hint: `rm -rf ${options.venvDir} && npm run tools`,
    });
  }
  return { source: 'built', detail: `installed in ${formatDuration(durationMs)}`, durationMs };
}

/** Where botocore (installed with moto) keeps its service models, asked of the venv's own python. */
export async function botocoreDataDir(options: VenvOptions): Promise<string> {
  const code = 'import botocore, os; print(os.path.join(os.path.dirname(botocore.__file__), "data"))';
  const env = pythonEnv(options.env);
  const result = await options.runner({ command: venvPython(options.venvDir), args: ['-c', code], env, signal: options.signal });
  const dir = result.stdout.trim();
  if (result.exitCode === 0 && dir !== '') return dir;
  throw new TaskError(`cannot locate botocore in ${options.venvDir}: ${result.spawnError ?? result.tail.join(' | ')}`, {
    code: 'TOOL_INSTALL_FAILED',
    hint: `rm -rf ${options.venvDir} && npm run tools`,
  });
}
