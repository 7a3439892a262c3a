import type { TaskContext } from '../../lib/core/context.js';
import { ExitCode, TaskError } from '../../lib/core/errors.js';
import { planWithoutLock, planWithSummary } from '../../lib/terragrunt/plan-to-file.js';
import { exitCodeOf, failureOf, summaryTable, type UnitResult } from '../../lib/deploy/all.js';
import { forEachUnit, unitParallelism, type UnitStep } from '../../lib/deploy/each-unit.js';
import { initGate } from '../../lib/deploy/init-gate.js';
import { appendStepSummary, githubFile, writeGithubOutputs } from '../../lib/deploy/github-output.js';
import { unlockedPlanNote, type PlanOptions } from './single.js';
import { planSummary, summaryContext, type PlanReport } from './summary.js';
import { prepareDeploy } from '../../lib/deploy/prepare.js';
import { findUnits, unitContext } from '../../lib/deploy/units.js';

/** Options of `plan --all`. */
export interface PlanAllOptions extends PlanOptions {
  /** github: the per-unit table as Markdown into $GITHUB_STEP_SUMMARY, and the outputs `summary` and `exit-code`. */
  summary?: 'none' | 'github';
}

/** Every unit in dependency order, each into its own saved plan (none with --no-lock), then the table; `detailed` is Terraform's 0/2. */
async function planEvery(opts: PlanOptions, ctx: TaskContext): Promise<{ results: UnitResult[]; detailed: number }> {
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const units = await findUnits(dc, ctx, 'plan');
  let changed = false;
  const gate = initGate();
  const step: UnitStep = async (unit, uctx) => {
    const udc = unitContext(dc, unit);
    const plan = opts.lock ? planWithSummary : planWithoutLock;
    const { outcome, changes } = await gate.run(udc.unitDir, uctx, () => plan(udc, uctx));
    ctx.signal.throwIfAborted();
    changed ||= outcome === 'changes';
    return { result: outcome === 'changes' ? 'planned' : 'no changes', changes };
  };
  const results = await forEachUnit(units, ctx, step, { parallelism: unitParallelism(dc.config) });
  ctx.log.info(`\n${summaryTable(results)}`);
  if (ctx.signal.aborted) return { results, detailed: ExitCode.interrupted };
  const code = exitCodeOf(results);
  if (code !== ExitCode.ok) return { results, detailed: code };
  ctx.log.info(opts.lock ? 'Plans saved next to each unit; npm run apply -- --all applies them while they are current.' : unlockedPlanNote);
  return { results, detailed: changed ? ExitCode.planChanges : ExitCode.ok };
}

/** The report of a run that threw: no rows, the error's exit code, the error itself. */
function stoppedReport(error: unknown, ctx: TaskContext): PlanReport {
  const exitCode = ctx.signal.aborted ? ExitCode.interrupted : error instanceof TaskError ? error.exitCode : ExitCode.failure;
  return { results: [], exitCode, stopped: failureOf(error) };
}

/** Writes the summary to the job summary and the step's outputs (both files checked before the run). */
async function publish(ctx: TaskContext, files: { output: string; summary: string }, report: PlanReport): Promise<void> {
  const markdown = planSummary(report, summaryContext(ctx.env));
  await appendStepSummary(ctx, files.summary, markdown);
  await writeGithubOutputs(ctx, files.output, { summary: markdown, 'exit-code': String(report.exitCode) });
}

/**
 * `plan --all`. Exit 0 with or without changes (2 for changes only with --detailed-exitcode),
 * else the failure's code. With `summary: 'github'` the summary is written whatever the
 * outcome, a run that stopped before the units included, so a failed plan still explains itself.
 */
export async function planAll(opts: PlanAllOptions, ctx: TaskContext): Promise<number> {
  const exitCode = (detailed: number): number => (detailed === ExitCode.planChanges && !opts.detailedExitCode ? ExitCode.ok : detailed);
  if (opts.summary !== 'github') return exitCode((await planEvery(opts, ctx)).detailed);
  const files = {
    output: await githubFile(ctx, 'GITHUB_OUTPUT', '--summary github'),
    summary: await githubFile(ctx, 'GITHUB_STEP_SUMMARY', '--summary github'),
  };
  let run: Awaited<ReturnType<typeof planEvery>>;
  try {
    run = await planEvery(opts, ctx);
  } catch (error) {
    // The error stays the run's result; a failure to write its summary is reported beside it.
    await publish(ctx, files, stoppedReport(error, ctx)).catch((writeError: unknown) =>
      ctx.log.error(`✖ The plan summary was not written: ${failureOf(writeError).message}`),
    );
    throw error;
  }
  await publish(ctx, files, { results: run.results, exitCode: run.detailed });
  return exitCode(run.detailed);
}
