import { mkdir, writeFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { runDoctor } from '../tasks/doctor/run.js';
import type { TaskContext } from '../lib/core/context.js';
import { projectCopy } from '../sandbox/project-copy.js';
import { loadConfig } from '../lib/config/load.js';
import { resolveTools } from '../lib/tools/resolve.js';
import { loadToolSettings } from '../lib/tools/tool-settings.js';
import { requireTools } from '../lib/tools/require.js';
import { startSandbox } from '../sandbox/harness.js';
import { benchContext } from './context.js';
import { firstDeployRow, freshUnit, makefilePlanRow, repeatInitRow, type AnchorBench } from './anchor-rows.js';
import { exec, measure, measurePair, type Stats } from './stats.js';
import { scaleRows } from './scale-rows.js';
import { providerCacheRow, singlePlanRows, unavailable, type Row } from './terraform-rows.js';

const runs = Number(process.env.BENCH_RUNS ?? '7');
/** The groups of rows to run (BENCH_ONLY, comma-separated; all by default): a quiet machine's time goes where it is needed. */
const groups = ['startup', 'doctor', 'anchors', 'plan', 'scale', 'provider-cache'] as const;
const only = new Set((process.env.BENCH_ONLY ?? groups.join(',')).split(',').map((g) => g.trim()));
const unknownGroups = [...only].filter((g) => !(groups as readonly string[]).includes(g));
if (unknownGroups.length > 0) throw new Error(`BENCH_ONLY names unknown groups ${unknownGroups.join(', ')}; known: ${groups.join(', ')}`);
/** The unit counts of the scale rows (BENCH_SCALE_SIZES, comma-separated). */
const scaleSizes = (process.env.BENCH_SCALE_SIZES ?? '1,5,20').split(',').map(Number);
if (scaleSizes.some((n) => !Number.isInteger(n) || n < 1)) throw new Error('BENCH_SCALE_SIZES must list whole numbers from 1, e.g. 1,5,20');

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

/** A pair of processes of about 100 ms swings by a third from run to run here: at least 30 pairs, whatever BENCH_RUNS says. */
const startupRuns = Math.max(runs, 30);

async function startupRow(cli: string): Promise<Row> {
  const { subject, baseline } = await measurePair(
    () => exec(process.execPath, [cli, 'plan', '--help']),
    () => exec(process.execPath, ['-e', '0']),
    startupRuns,
    2,
  );
  return {
    name: 'CLI start-up: plan --help vs node -e 0',
    subject,
    baseline,
    ratio: ratio(subject, baseline),
    target: 'ratio <= 2.5',
    note: `${startupRuns} pairs`,
  };
}

async function doctorRows(cli: string, ctx: TaskContext): Promise<Row[]> {
  const concurrent = await measure(() => runDoctor(ctx, { overrides: {} }), runs);
  const sequential = await measure(() => runDoctor(ctx, { overrides: {}, sequential: true }), runs);
  // doctor exits 1 where something is missing (no state bucket yet); the wall time is what is measured.
  const wall = await measure(
    () => exec(process.execPath, [cli, 'doctor', '--json'], { cwd: ctx.projectDir, env: ctx.env, anyExit: true }),
    runs,
  );
  return [
    { name: 'npm run doctor: whole process (node start, SDK load, all checks)', subject: wall, target: 'median < 1000 ms' },
    {
      name: 'doctor: its checks concurrently (as npm run doctor runs them) vs one after another (in process)',
      subject: concurrent,
      baseline: sequential,
      ratio: ratio(concurrent, sequential),
      target: 'ratio < 1',
    },
  ];
}

/** The rows that run terraform and terragrunt, around one deployed unit of a scratch project. */
async function toolRows(b: AnchorBench): Promise<Row[]> {
  const rows = only.has('anchors') ? [await firstDeployRow(b)] : [];
  const bucket = 'bench-deployed-state';
  const env = { ...b.env, DEPLOY_STATE_BUCKET: bucket };
  if (only.has('anchors') || only.has('plan')) {
    await freshUnit(b);
    for (const step of [['init'], ['apply', '--yes']]) await exec(process.execPath, [b.cli, ...step], { cwd: b.projectDir, env });
    if (only.has('anchors')) rows.push(await repeatInitRow(b, bucket), await makefilePlanRow(b, bucket));
    if (only.has('plan')) rows.push(...(await singlePlanRows({ ...b, env })));
    await exec(process.execPath, [b.cli, 'destroy', '--yes'], { cwd: b.projectDir, env });
  }
  if (only.has('scale')) rows.push(...(await scaleRows(b, scaleSizes)));
  return rows;
}

async function main(): Promise<void> {
  // The tools as npm run tools left them (the bench builds nothing); a scratch project keeps the checkout clean.
  const tools = await resolveTools(benchContext(process.cwd(), process.env), { install: false, tools: loadToolSettings({}, process.env) });
  const { sandboxStartTimeoutSeconds } = loadConfig({}, process.env);
  const [sandbox, project] = await Promise.all([
    startSandbox({
      motoServerBin: requireTools(tools, ['moto']).motoServer,
      startTimeoutMs: sandboxStartTimeoutSeconds * 1000,
      registryAlias: 'bench-alias',
      baseEnv: process.env,
    }),
    projectCopy(),
  ]);
  const env = { ...process.env, ...sandbox.env };
  // The copy's own CLI: the CLI works on the project its code lives in.
  const cli = join(project.dir, 'dist', 'cli', 'main.js');
  const ctx = benchContext(project.dir, env);
  try {
    const rows: Row[] = [
      ...(only.has('startup') ? [await startupRow(cli)] : []),
      ...(only.has('doctor') ? await doctorRows(cli, ctx) : []),
    ];
    const why = unavailable(tools, ['terraform', 'terragrunt', 'aws-provider']);
    if (why) rows.push({ name: 'rows that run terraform and terragrunt', target: '-', note: why });
    else rows.push(...(await toolRows({ sandbox, projectDir: project.dir, cli, runs, env })));
    if (only.has('provider-cache')) rows.push(await providerCacheRow(tools, env, runs));
    const machine = `${cpus().length} x ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.version}`;
    await mkdir('bench', { recursive: true });
    await writeFile(join('bench', 'results.json'), `${JSON.stringify({ date: new Date().toISOString(), machine, runs, rows }, null, 2)}\n`);
    process.stdout.write(`${table(rows)}\n\nmachine: ${machine}; ${runs} runs after warm-up; written to bench/results.json\n`);
  } finally {
    await sandbox.stop();
    await project.remove();
  }
}

await main();
