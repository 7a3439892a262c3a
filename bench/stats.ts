import { spawn } from 'node:child_process';
import { once } from 'node:events';

export interface Stats {
  median: number;
  min: number;
  max: number;
  runs: number;
}

export function stats(samples: number[]): Stats {
  const sorted = [...samples].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  const median = sorted.length % 2 === 1 ? (sorted[mid] ?? 0) : ((sorted[mid - 1] ?? 0) + (sorted[mid] ?? 0)) / 2;
  return { median: round(median), min: round(sorted[0] ?? 0), max: round(sorted.at(-1) ?? 0), runs: sorted.length };
}

function round(ms: number): number {
  return Math.round(ms * 10) / 10;
}

/** Times `fn` `runs` times after `warmup` untimed calls; milliseconds. */
export async function measure(fn: () => Promise<unknown>, runs: number, warmup = 1): Promise<Stats> {
  for (let i = 0; i < warmup; i += 1) await fn();
  const samples: number[] = [];
  for (let i = 0; i < runs; i += 1) {
    const started = performance.now();
    await fn();
    samples.push(performance.now() - started);
  }
  return stats(samples);
}

/**
 * Times a subject and its baseline in alternation (A, B, A, B, ...) after `warmup` untimed
 * pairs, so a machine that gets busier or quieter during the run weighs on both alike.
 */
export async function measurePair(
  subject: () => Promise<unknown>,
  baseline: () => Promise<unknown>,
  runs: number,
  warmup = 1,
): Promise<{ subject: Stats; baseline: Stats }> {
  const samples: [number[], number[]] = [[], []];
  for (let i = 0; i < warmup + runs; i += 1) {
    for (const [k, fn] of [subject, baseline].entries()) {
      const started = performance.now();
      await fn();
      if (i >= warmup) samples[k]?.push(performance.now() - started);
    }
  }
  return { subject: stats(samples[0]), baseline: stats(samples[1]) };
}

/**
 * Runs a command to completion (spawned directly, no shell in the timing). A non-zero exit
 * fails the benchmark, since a broken run is not a timing, unless `anyExit` says the exit
 * code does not matter (doctor exits 1 where tools are missing).
 */
export async function exec(
  bin: string,
  args: string[],
  options: { cwd?: string; env?: NodeJS.ProcessEnv; anyExit?: boolean } = {},
): Promise<number | null> {
  const child = spawn(bin, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const [code] = (await once(child, 'close')) as [number | null];
  if (code !== 0 && options.anyExit !== true) throw new Error(`${bin} ${args.join(' ')} exited ${code}: ${stderr.slice(-500)}`);
  return code;
}
