// A plan's changes, read from its plan file with `terraform show -json` (through terragrunt, in
// the unit's cache) rather than from the text terraform prints: the JSON is terraform's stable
// machine interface, and it passes a schema before it is counted.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import * as v from 'valibot';
import type { TaskContext } from '../core/context.js';
import { parseJson } from '../core/outside-data.js';
import type { DeployContext } from '../deploy/prepare.js';
import { invokeTerragrunt } from './invoke.js';
import type { RunResult } from './run.js';

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

/** The change summary of a plan file of the unit. */
export async function planFileChanges(dc: DeployContext, ctx: TaskContext, planFile: string): Promise<string> {
  const shown = await invokeTerragrunt(dc, ctx, { kind: 'show', planFile }, { captureStdout: true });
  return shown.interrupted ? '-' : summaryOfShow(shown.stdout, planFile);
}

/**
 * A read-only plan (see the `check` command) and its change summary, read from a plan file of
 * this run alone that is deleted at once: nothing is left that could be applied.
 */
export async function checkWithChanges(
  dc: DeployContext,
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
