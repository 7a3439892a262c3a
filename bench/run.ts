import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { createMemoryLogger } from '../lib/log.js';
import { runDoctor } from '../lib/doctor/run.js';
import { convergeStateBucket } from '../lib/state-bucket/converge.js';
import { loadConfig } from '../lib/config/load.js';
import { sandboxForTests } from '../test/support/sandbox.js';
import { testToolStatus } from '../test/support/tools.js';
import { exec, measure, type Stats } from './stats.js';
import { providerCacheRow, wrapperOverheadRow, type Row } from './terraform-rows.js';

const runs = Number(process.env.BENCH_RUNS ?? '7');

function table(rows: Row[]): string {
  const lines = rows.map(
    (r) =>
      `| ${r.name} | ${r.subject ? fmt(r.subject) : '-'} | ${r.baseline ? fmt(r.baseline) : '-'} | ${r.ratio ?? '-'} | ${r.target} | ${r.note ?? ''} |`,
  );
  return [
    '| measure | median (min-max) ms | baseline median (min-max) ms | ratio | target | note |',
    '| --- | --- | --- | --- | --- | --- |',
    ...lines,
  ].join('\n');
}

function fmt(s: Stats): string {
  return `${s.median} (${s.min}-${s.max})`;
}

function ratio(a: Stats, b: Stats): number {
  return Math.round((a.median / b.median) * 100) / 100;
}

async function startupRow(): Promise<Row> {
  const cli = join(process.cwd(), 'dist', 'tasks', 'cli.js');
  const subject = await measure(() => exec(process.execPath, [cli, 'plan', '--help']), runs, 2);
  const baseline = await measure(() => exec(process.execPath, ['-e', '0']), runs, 2);
  return { name: 'CLI start-up: plan --help vs node -e 0', subject, baseline, ratio: ratio(subject, baseline), target: 'median < 200 ms' };
}

async function main(): Promise<void> {
  const tools = await testToolStatus();
  // The same start-up (tools, configured timeout) as the tests'.
  const sandbox = await sandboxForTests();
  const env = { ...process.env, ...sandbox.env };
  const ctx = { projectDir: process.cwd(), env, log: createMemoryLogger(), interactive: false, signal: new AbortController().signal };
  try {
    const rows: Row[] = [await startupRow()];
    const concurrent = await measure(() => runDoctor(ctx, { overrides: {} }), runs);
    const sequential = await measure(() => runDoctor(ctx, { overrides: {}, sequential: true }), runs);
    const cli = join(process.cwd(), 'dist', 'tasks', 'cli.js');
    // doctor exits 1 where terraform/terragrunt are missing; the wall time is what is measured.
    const wall = await measure(() => exec(process.execPath, [cli, 'doctor', '--json'], { env, anyExit: true }), runs);
    rows.push({ name: 'npm run doctor: whole process (node start, SDK load, all checks)', subject: wall, target: 'median < 1000 ms' });
    rows.push({
      name: 'doctor: concurrent vs sequential checks (in process)',
      subject: concurrent,
      baseline: sequential,
      ratio: ratio(concurrent, sequential),
      target: 'median < 1000 ms',
    });
    const config = loadConfig({ stateBucket: 'bench-state' }, env);
    await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, ctx.log);
    let requests = { reads: 0, writes: 0 };
    const noop = await measure(async () => {
      requests = (await convergeStateBucket(config, sandbox.credentials, sandbox.accountId, ctx.log)).requests;
    }, runs);
    rows.push({
      name: 'bootstrap: no-op init bucket convergence',
      subject: noop,
      target: '0 writes, <= 1 read per setting',
      note: `${requests.reads} reads (HeadBucket + GetBucketLocation + 1 per setting), ${requests.writes} writes`,
    });
    rows.push(await wrapperOverheadRow(tools, runs, ctx), await providerCacheRow(tools, env, runs));
    const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
    await mkdir('bench', { recursive: true });
    await writeFile(join('bench', 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, runs, rows }, null, 2)}\n`);
    process.stdout.write(`${table(rows)}\n\nmachine: ${machine}; ${runs} runs after warm-up; written to bench/results.json\n`);
  } finally {
    await sandbox.stop();
  }
}

await main();
