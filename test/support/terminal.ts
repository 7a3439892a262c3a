import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cliOf } from './cli.js';

const quoted = (arg: string): string => `'${arg.replace(/'/g, `'\\''`)}'`;

/**
 * Runs the CLI of `projectDir` on a real pseudo-terminal (util-linux `script`), so it is
 * interactive and readline puts the terminal in raw mode; at the confirmation prompt it
 * types `key` (e.g. Ctrl-C as \u0003) and returns the exit code and what the terminal showed.
 */
export async function answerOnTerminal(
  projectDir: string,
  args: string[],
  env: Record<string, string>,
  key: string,
): Promise<{ code: number | null; output: string }> {
  const command = [process.execPath, cliOf(projectDir), ...args].map(quoted).join(' ');
  const child = spawn('script', ['-qec', command, '/dev/null'], { cwd: projectDir, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let output = '';
  let typed = false;
  const take = (chunk: Buffer): void => {
    output += chunk.toString();
    if (!typed && output.includes('to continue:')) {
      typed = true;
      child.stdin.write(key);
    }
  };
  child.stdout.on('data', take);
  child.stderr.on('data', take);
  const [code] = (await once(child, 'close')) as [number | null];
  return { code, output };
}
