import type { TaskContext } from '../lib/core/context.js';
import { ExitCode } from '../lib/core/errors.js';
import { checkWithChanges } from '../lib/terragrunt/plan-changes.js';
import { summaryTable } from '../lib/deploy/all.js';
import { forEachUnit, unitParallelism } from '../lib/deploy/each-unit.js';
import { initGate, type InitGate } from '../lib/deploy/init-gate.js';
import { checkOutputName, githubFile, writeGithubOutputs } from '../lib/deploy/github-output.js';
import type { Config } from '../lib/config/load.js';
import { prepareDeploy, type DeployContext } from '../lib/deploy/prepare.js';
import { findUnits, unitContext, type Unit } from '../lib/deploy/units.js';

const statuses = ['in-sync', 'drifted', 'unapplied'] as const;
type DriftStatus = (typeof statuses)[number];

export interface DriftOptions {
  config: Config;
  /** The report as JSON on stdout (the table still goes to the log). */
  json: boolean;
  /** Also write the JSON report to $GITHUB_OUTPUT under this output name. */
  githubOutput?: string | undefined;
  /** Exit 2 when a unit drifted or is unapplied; false: 0, so a CI step passes on drift and fails only on failure. */
  failOnDrift?: boolean;
}

interface UnitDrift {
  unit: string;
  status: DriftStatus | 'failed' | 'not run';
  changes: string;
}

/**
 * Tells the three outcomes apart with two read-only plans (neither takes the lock nor saves
 * a plan). Against state alone (-refresh=false), changes mean the configuration differs from
 * state: unapplied. Against the real resources (refreshed), a different result means something
 * changed outside Terraform that the configuration cares about: drifted. A refresh-only plan
 * is not used: right after an apply it reports provider normalisations (tags null -> {}, a
 * role's inline_policy filled in from its aws_iam_role_policy) as changes, so it would never
 * say "in sync".
 */
async function driftOf(
  dc: DeployContext,
  ctx: TaskContext,
  json: boolean,
  gate: InitGate,
): Promise<{ status: DriftStatus; changes: string }> {
  // With --json, stdout is the report alone: terraform's plans are kept, not printed.
  const stateOnly = await gate.run(dc.unitDir, ctx, () => checkWithChanges(dc, ctx, false, json));
  ctx.signal.throwIfAborted();
  const real = await checkWithChanges(dc, ctx, true, json);
  ctx.signal.throwIfAborted();
  const [unapplied, toReal] = [stateOnly.changes, real.changes];
  if (toReal !== unapplied) return { status: 'drifted', changes: toReal };
  return unapplied === '0' ? { status: 'in-sync', changes: '0' } : { status: 'unapplied', changes: unapplied };
}

/** The output --github-output names, and the $GITHUB_OUTPUT it goes to: both checked before any AWS call. */
async function githubTarget(name: string, ctx: TaskContext): Promise<{ name: string; file: string }> {
  checkOutputName(name, '--github-output');
  return { name, file: await githubFile(ctx, 'GITHUB_OUTPUT', '--github-output') };
}

/** `npm run drift`: every unit, read-only; 0 when all are in sync, 2 when any drifted or is unapplied (unless failOnDrift is false), 1 on failure. */
export async function run(opts: DriftOptions, ctx: TaskContext): Promise<number> {
  const github = opts.githubOutput === undefined ? undefined : await githubTarget(opts.githubOutput, ctx);
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const units: Unit[] = await findUnits(dc, ctx, 'plan');
  const gate = initGate();
  const step = async (unit: Unit, uctx: TaskContext): Promise<{ result: string; changes: string }> => {
    const udc = unitContext(dc, unit);
    const { status, changes } = await driftOf(udc, uctx, opts.json, gate);
    return { result: status, changes };
  };
  const results = await forEachUnit(units, ctx, step, { parallelism: unitParallelism(dc.config) });
  if (ctx.signal.aborted) return ExitCode.interrupted;
  ctx.log.info(`\n${summaryTable(results)}`);
  // A unit that ran reports its status; the others failed, or were not run because a dependency failed.
  const all: UnitDrift[] = results.map((r) => ({
    unit: r.unit,
    status: statuses.find((s) => s === r.result) ?? (r.result === 'failed' ? 'failed' : 'not run'),
    changes: r.changes,
  }));
  const report = JSON.stringify({ units: all }, null, 2);
  if (opts.json) ctx.io.stdout.write(`${report}\n`);
  if (github !== undefined) await writeGithubOutputs(ctx, github.file, { [github.name]: report });
  if (all.some((u) => u.status === 'failed' || u.status === 'not run')) return ExitCode.failure;
  if (all.every((u) => u.status === 'in-sync')) return ExitCode.ok;
  if (opts.failOnDrift !== false) return ExitCode.planChanges;
  ctx.log.info('Some units are out of sync (the table says which); exit 0, as --no-fail-on-drift asks.');
  return ExitCode.ok;
}
