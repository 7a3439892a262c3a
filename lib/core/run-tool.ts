import { runProcess } from './process.js';

export interface ToolRun {
  /** null when the child could not start or was killed by a signal. */
  exitCode: number | null;
  stdout: string;
  /** stdout and stderr as they interleaved. */
  output: string;
}

export interface ToolRunOptions {
  cwd: string;
  /** The whole environment of the child: zx's env replaces, it does not merge. */
  env: NodeJS.ProcessEnv;
  signal?: AbortSignal;
}

/**
 * Runs one tool to completion through the process runner (lib/core/process.ts): a non-zero
 * exit is returned, not thrown, so callers decide what it means; nothing is echoed (callers
 * print what matters); a binary that cannot start says why in the output.
 */
export async function runTool(bin: string, args: readonly string[], options: ToolRunOptions): Promise<ToolRun> {
  const result = await runProcess(bin, args, {
    cwd: options.cwd,
    env: options.env,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  const output = result.spawnError === undefined ? result.output : `${result.output}${result.spawnError}\n`;
  return { exitCode: result.exitCode, stdout: result.stdout, output };
}
