import type { TaskContext } from '../core/context.js';
import { TaskError } from '../core/errors.js';
import { runTool } from '../core/run-tool.js';
import { infraTree, unitFolder } from '../infra/tree.js';
import type { DeployContext } from './prepare.js';
import * as v from 'valibot';
import { tryParseJson } from '../core/outside-data.js';

/** A Terragrunt unit under the configured root, with the units it reads outputs from. */
export interface Unit {
  /** Relative to the Terragrunt root, as DEPLOY_UNIT names it: `us-east-1/ecr-public-repository`. */
  path: string;
  dir: string;
  dependencies: string[];
}

/** One entry of `terragrunt find --json --dag --dependencies --exclude`. */
const found = v.object({
  type: v.optional(v.string()),
  path: v.optional(v.string()),
  dependencies: v.nullish(v.array(v.string())),
  /** The unit's `exclude` block, as `find --exclude` reports it. */
  exclude: v.nullish(v.object({ if: v.optional(v.boolean()), actions: v.nullish(v.array(v.string())) })),
});
type Found = v.InferOutput<typeof found>;

/** The terraform command a run over every unit stands for (drift plans). */
export type AllCommand = 'plan' | 'apply' | 'destroy' | 'output';

/**
 * Whether the unit's `exclude` block keeps it out of a `--all` run of `command`, as Terragrunt's
 * own `run --all` decides: `if` true and the command listed, "all" listing every command and
 * "all_except_output" every one but output. A run with --unit is never affected.
 */
export function excludedFrom(command: AllCommand, exclude: Found['exclude']): boolean {
  if (exclude?.if !== true) return false;
  return (exclude.actions ?? []).some(
    (a) => a === 'all' || (a === 'all_except_output' && command !== 'output') || a.toLowerCase() === command,
  );
}

/**
 * Every unit under the Terragrunt root in dependency order (a unit after those it depends
 * on), as Terragrunt itself sees them: `terragrunt find --json --dag --dependencies`, less
 * the units whose `exclude` block leaves them out of `command` run over every unit (the CI
 * roles' unit: an operator applies it with --unit).
 */
export async function findUnits(dc: DeployContext, ctx: TaskContext, command: AllCommand): Promise<Unit[]> {
  const infra = infraTree(dc.config, ctx.projectDir);
  const root = infra.root;
  // --hidden: the root itself may sit below a hidden folder (the sandbox's .sandbox/ copy),
  // which terragrunt would otherwise skip; hidden folders under the root are left out below.
  const args = ['find', '--json', '--dag', '--dependencies', '--exclude', '--hidden', '--no-color'];
  const run = await runTool(dc.toolchain.terragrunt, args, {
    cwd: root,
    env: dc.env,
    signal: ctx.signal,
  });
  const listed = run.exitCode === 0 ? tryParseJson(run.stdout, v.array(found)) : undefined;
  if (listed === undefined)
    throw new TaskError(
      `terragrunt find could not list the units under ${root} (exit ${String(run.exitCode)}):\n${dc.redact(run.output.trim())}`,
      {
        code: 'UNITS_UNREADABLE',
        hint: 'Run npm run doctor; fix the HCL it names (npm run lint runs terragrunt hcl validate).',
      },
    );
  const all = listed
    .filter((f): f is Found & { path: string } => f.type === 'unit' && typeof f.path === 'string')
    .filter((f) => !f.path.split('/').some((segment) => segment.startsWith('.')));
  const left = all.filter((f) => excludedFrom(command, f.exclude)).map((f) => f.path);
  if (left.length > 0) ctx.log.info(`Left out of --all by their exclude block (run them with --unit): ${left.join(', ')}`);
  const units = all
    .filter((f) => !left.includes(f.path))
    .map((f) => ({ path: f.path, dir: unitFolder(infra, f.path, `The unit ${f.path}`), dependencies: f.dependencies ?? [] }));
  if (units.length === 0)
    throw new TaskError(`No Terragrunt unit under ${root}.`, {
      code: 'UNIT_MISSING',
      hint: 'Each unit is a folder with a terragrunt.hcl under DEPLOY_INFRA_DIR (see platform/infra/README.md).',
    });
  return units;
}

/** The prepared context for one unit: same credentials and environment, its own folder and state key. */
export function unitContext(dc: DeployContext, unit: Unit): DeployContext {
  return { ...dc, unitDir: unit.dir, config: { ...dc.config, unit: unit.path } };
}

/** Units that depend on `failed`, directly or through others (the ones a failure leaves not run). */
export function dependentsOf(units: readonly Unit[], failed: string): string[] {
  const out = new Set<string>();
  let grew = true;
  while (grew) {
    grew = false;
    for (const u of units)
      if (!out.has(u.path) && u.dependencies.some((d) => d === failed || out.has(d))) {
        out.add(u.path);
        grew = true;
      }
  }
  return units.filter((u) => out.has(u.path)).map((u) => u.path);
}

/** Units that `unit` depends on, directly or through others. */
export function dependenciesOf(units: readonly Unit[], unit: string): string[] {
  const byPath = new Map(units.map((u) => [u.path, u]));
  const out = new Set<string>();
  const visit = (path: string): void => {
    for (const d of byPath.get(path)?.dependencies ?? []) {
      if (out.has(d)) continue;
      out.add(d);
      visit(d);
    }
  };
  visit(unit);
  return [...out];
}
