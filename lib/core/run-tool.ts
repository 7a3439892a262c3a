import { $ } from 'zx';

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
 * Runs one tool to completion with zx: arguments are interpolated (zx quotes each one),
 * never a hand-built shell string; a non-zero exit is returned, not thrown, so callers
 * decide what it means; nothing is echoed (callers print what matters).
 */
export async function runTool(bin: string, args: readonly string[], options: ToolRunOptions): Promise<ToolRun> {
  const child = $({
    cwd: options.cwd,
    env: options.env,
    nothrow: true,
    quiet: true,
    ...(options.signal ? { signal: options.signal } : {}),
  })`${bin} ${args}`;
  const result = await child;
  return { exitCode: result.exitCode, stdout: result.stdout, output: result.toString() };
}
