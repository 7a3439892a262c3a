import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { toolSpecs } from '../../lib/config/tool-specs.js';
import { runProcess } from '../../lib/core/process.js';
import './no-leftovers.js';

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Values that must never appear in anything the tasks print; suites register their secrets here. */
const secrets = new Set<string>();

export function registerSecret(value: string): void {
  if (value.length >= 8) secrets.add(value);
}

/** Fails the calling test when any registered secret reached stdout or stderr. */
export function assertNoSecrets(text: string, where: string): void {
  for (const secret of secrets) assert.ok(!text.includes(secret), `a registered secret appeared in ${where}`);
}

/**
 * The tools' settings of this process (TOOLS_BUILD_FROM_SOURCE, TOOLS_CACHE_DIR, ...): the CLI
 * under test finds the tools `npm run tools` provided for the suite, the same way.
 */
export function toolSettingsEnv(): Record<string, string> {
  return Object.fromEntries(toolSpecs.flatMap((s) => (process.env[s.env] === undefined ? [] : [[s.env, process.env[s.env] ?? '']])));
}

/** The CLI of a project: the tasks find the project from where their code lives, not from the working directory. */
export function cliOf(projectDir: string): string {
  return join(projectDir, 'dist', 'cli', 'main.js');
}

/**
 * Runs the CLI of `projectDir` exactly as `npm run <task>` does (node dist/cli/main.js -- <task>),
 * from `cwd` (the project unless given), with only the given environment (plus PATH/HOME),
 * and checks the output for secrets centrally, so no test can forget it.
 */
export async function runCli(
  args: string[],
  env: Record<string, string>,
  projectDir = process.cwd(),
  cwd = projectDir,
): Promise<CliResult> {
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', CI: 'true', ...toolSettingsEnv() };
  let stderr = '';
  // The product's process runner, as every child of the product starts. `--` first, as the
  // package.json scripts write it, so Node leaves `--env-file` to the CLI.
  const result = await runProcess(process.execPath, [cliOf(projectDir), '--', ...args], {
    cwd,
    env: { ...base, ...env },
    onLine: (line, stream) => {
      if (stream === 'stderr') stderr += `${line}\n`;
    },
  });
  assert.equal(result.spawnError, undefined, `the CLI did not start: ${result.spawnError ?? ''}`);
  const { exitCode: code, stdout } = result;
  assertNoSecrets(stdout, `stdout of ${args.join(' ')}`);
  assertNoSecrets(stderr, `stderr of ${args.join(' ')}`);
  return { code, stdout, stderr };
}

/**
 * Starts the project copy's CLI as a child a test can signal, with the sandbox environment on
 * top of this process's. A raw child, not the process runner: these tests send the CLI itself a
 * Ctrl-C (one process, not a group) and type into its stdin, which the runner closes.
 */
export function startCli(args: string[], env: Record<string, string>, projectDir: string): ChildProcessWithoutNullStreams {
  return spawn(process.execPath, [join(projectDir, 'dist', 'cli', 'main.js'), ...args], {
    cwd: projectDir,
    env: { ...process.env, ...env, CI: 'true' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
}

/** Calls `act` once, on the first stdout chunk that matches: terraform's first refresh line by default. */
export function onFirstOutput(child: ChildProcessWithoutNullStreams, act: () => void, pattern = /Refreshing state|Reading\.\.\./): void {
  let done = false;
  child.stdout.on('data', (c: Buffer) => {
    if (done || !pattern.test(c.toString())) return;
    done = true;
    act();
  });
}
