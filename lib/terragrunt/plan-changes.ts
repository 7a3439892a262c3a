// A plan's changes, read from its plan file with `terraform show -json` rather than from the
// text terraform prints: the JSON is terraform's stable machine interface, and it passes a schema
// before it is counted. terraform runs in the unit's terragrunt working directory: `terragrunt
// show` would evaluate the unit's HCL again, and a dependency whose mock outputs are allowed for
// plan alone stops it there, although show reads nothing but the plan file.
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import type { TaskContext } from '../core/context.js';
import { TaskError } from '../core/errors.js';
import { parseJson } from '../core/outside-data.js';
import { runTool } from '../core/run-tool.js';
import type { TerragruntContext } from './context.js';
import { invokeTerragrunt } from './invoke.js';
import type { RunResult } from './run.js';
import { withUnitGuard } from './unit-guard.js';

const change = v.object({ actions: v.array(v.string()) });

/** The part of `terraform show -json <planfile>` the counts need (terraform's JSON output format). */
const planJson = v.object({
  format_version: v.string(),
  resource_changes: v.optional(v.array(v.object({ address: v.string(), change })), []),
  output_changes: v.optional(v.record(v.string(), change), {}),
});

/** What a plan does, as terraform's "Plan: N to add, M to change, K to destroy." counts it. */
interface PlanCounts {
  add: number;
  change: number;
  destroy: number;
  /** Only outputs change. */
  outputs: boolean;
}

/** Counts each resource's actions: a replacement (delete and create, in either order) is one to add and one to destroy, as terraform counts it. */
function countChanges(plan: v.InferOutput<typeof planJson>): PlanCounts {
  const counts = { add: 0, change: 0, destroy: 0 };
  for (const { change: c } of plan.resource_changes) {
    if (c.actions.includes('create')) counts.add += 1;
    if (c.actions.includes('update')) counts.change += 1;
    if (c.actions.includes('delete')) counts.destroy += 1;
  }
  const outputs = Object.values(plan.output_changes).some((c) => c.actions.some((a) => a !== 'no-op'));
  return { ...counts, outputs };
}

/** `+1 ~0 -0` for a plan with changes (outputs alone: `+0 ~0 -0`); `0` for one without. */
function changeSummary(counts: PlanCounts): string {
  const { add, change: update, destroy, outputs } = counts;
  return add + update + destroy === 0 && !outputs ? '0' : `+${add} ~${update} -${destroy}`;
}

/** The change summary of `show -json` output; output that is not a plan's JSON is a TaskError naming the plan file. */
export function summaryOfShow(json: string, planFile: string): string {
  const plan = parseJson(json, planJson, {
    what: `terraform show -json ${planFile}`,
    code: 'PLAN_UNREADABLE',
    hint: `Plan again (npm run plan), or delete the plan file: rm ${planFile}`,
  });
  return changeSummary(countChanges(plan));
}

/** The folders under `dir` (not into .terraform) that hold a .terraform folder, with its modification time. */
async function initialised(dir: string): Promise<Array<{ dir: string; mtimeMs: number }>> {
  const entries = await readdir(dir, { withFileTypes: true });
  const here = entries.some((e) => e.isDirectory() && e.name === '.terraform')
    ? [{ dir, mtimeMs: (await stat(join(dir, '.terraform'))).mtimeMs }]
    : [];
  const below = await Promise.all(
    entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => initialised(join(dir, e.name))),
  );
  return [...here, ...below.flat()];
}

/**
 * Where terragrunt ran terraform for the unit: the folder of its .terragrunt-cache that terraform
 * initialised (`<hash>/<hash>/<module>`); the latest one when an earlier module source left another.
 */
async function terraformDir(unitDir: string): Promise<string> {
  const cache = join(unitDir, '.terragrunt-cache');
  const found = await initialised(cache).catch(() => []);
  const latest = found.sort((a, b) => b.mtimeMs - a.mtimeMs)[0];
  if (latest === undefined)
    throw new TaskError(`${cache} holds no initialised terraform folder, so the plan's changes cannot be read`, {
      code: 'PLAN_UNREADABLE',
      hint: 'Run npm run init, then plan again.',
    });
  return latest.dir;
}

/** The change summary of a plan file of the unit, from `terraform show -json` in its working directory. */
export async function planFileChanges(dc: TerragruntContext, ctx: TaskContext, planFile: string): Promise<string> {
  const cwd = await terraformDir(dc.unitDir);
  const args = ['show', '-json', '-no-color', planFile];
  ctx.log.debug(dc.redact(`$ ${dc.toolchain.terraform} ${args.join(' ')}   (in ${cwd})`));
  const run = await withUnitGuard(dc.unitDir, 'terraform show', () =>
    runTool(dc.toolchain.terraform, args, { cwd, env: dc.env, signal: ctx.signal }),
  );
  if (ctx.signal.aborted) return '-';
  if (run.exitCode !== 0)
    throw new TaskError(`terraform show -json ${planFile} failed (exit ${String(run.exitCode)}):\n${dc.redact(run.output.trim())}`, {
      code: 'PLAN_UNREADABLE',
      hint: `Plan again (npm run plan), or delete the plan file: rm ${planFile}`,
    });
  return summaryOfShow(run.stdout, planFile);
}

/**
 * A read-only plan (see the `check` command) and its change summary, read from a plan file of
 * this run alone that is deleted at once: nothing is left that could be applied.
 */
export async function checkWithChanges(
  dc: TerragruntContext,
  ctx: TaskContext,
  refresh: boolean,
  captureStdout = false,
): Promise<{ result: RunResult; changes: string }> {
  const planFile = join(dc.unitDir, `terragrunt.check-${process.pid}.tfplan`);
  try {
    const result = await invokeTerragrunt(dc, ctx, { kind: 'check', refresh, planFile }, { acceptExitCodes: [2], captureStdout });
    if (result.interrupted) return { result, changes: '-' };
    return { result, changes: result.exitCode === 2 ? await planFileChanges(dc, ctx, planFile) : '0' };
  } finally {
    await rm(planFile, { force: true });
  }
}
