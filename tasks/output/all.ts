import type { TaskContext } from '../../lib/core/context.js';
import { ExitCode, TaskError } from '../../lib/core/errors.js';
import type { OutputOptions } from './single.js';
import { writeGithubOutputs } from '../../lib/deploy/github-output.js';
import { outputDestination, writeRendered } from './destination.js';
import { formatOutputs } from '../../lib/deploy/outputs.js';
import { readEachUnit, unitParallelism } from '../../lib/deploy/each-unit.js';
import { initGate } from '../../lib/deploy/init-gate.js';
import { prepareDeploy } from '../../lib/deploy/prepare.js';
import { findUnits, unitContext } from '../../lib/deploy/units.js';
import {
  deployStateFrom,
  flat,
  readUnitOutputs,
  verifyDeployment,
  type DeployState,
  type TerraformOutputs,
} from '../../lib/deploy/verify.js';

/** The keys the mirror workflow reads: the repository unit's, and ROLE_ARN from the unit that outputs role_arn. */
function downstream(byUnit: Map<string, TerraformOutputs>, primary: string): { state: DeployState; keys: Record<string, string> } {
  const repository = byUnit.get(primary);
  if (repository === undefined)
    throw new TaskError(`The repository unit ${primary} is not among the units found.`, {
      code: 'UNIT_MISSING',
      hint: 'Set DEPLOY_UNIT in .env (or the --env-file file; with --all, not in the environment or as --unit) to the unit that manages the ECR Public repository.',
    });
  const role = [...byUnit.values()].map((o) => o.role_arn?.value).find((v): v is string => typeof v === 'string' && v !== '');
  if (role === undefined)
    throw new TaskError('No unit outputs role_arn: the push role has not been applied yet.', {
      code: 'OUTPUT_MISSING',
      hint: 'Run npm run plan -- --all, then npm run apply -- --all.',
    });
  const state = deployStateFrom(repository);
  return { state, keys: { ...state.values, ROLE_ARN: role } };
}

/** `output --all`: each unit's outputs, and the downstream keys (ALIAS, ACCOUNT_ID, REPOSITORY_*, ROLE_ARN) in the chosen format. */
export async function showAllOutputs(opts: OutputOptions, ctx: TaskContext): Promise<number> {
  const destination = await outputDestination(opts.format, opts.outFile, ctx);
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  const units = await findUnits(dc, ctx, 'output');
  const gate = initGate();
  const outputs = await readEachUnit(units, ctx, unitParallelism(dc.config), async (unit, uctx) => {
    const udc = unitContext(dc, unit);
    return gate.run(udc.unitDir, uctx, () => readUnitOutputs(udc, uctx));
  });
  const byUnit = new Map(units.map((u, i) => [u.path, outputs[i] as TerraformOutputs]));
  const { state, keys } = downstream(byUnit, opts.config.unit);
  await verifyDeployment(dc, state);
  if (destination.kind === 'github') await writeGithubOutputs(ctx, destination.path, keys);
  else await writeRendered(ctx, destination.file, rendered(destination.format, byUnit, keys));
  return ExitCode.ok;
}

/** json: the keys and every unit's outputs; text: each unit's section, then the keys; env: the keys. */
function rendered(format: 'text' | 'json' | 'env', byUnit: ReadonlyMap<string, TerraformOutputs>, keys: Record<string, string>): string {
  if (format === 'json') {
    const units = Object.fromEntries([...byUnit].map(([path, outputs]) => [path, flat(outputs)]));
    return `${JSON.stringify({ ...keys, units }, null, 2)}\n`;
  }
  if (format === 'env') return formatOutputs(keys, 'env');
  const sections = [...byUnit].map(([path, outputs]) => `# ${path}\n${formatOutputs(flat(outputs), 'text')}\n`);
  return `${sections.join('')}# downstream\n${formatOutputs(keys, 'text')}`;
}
