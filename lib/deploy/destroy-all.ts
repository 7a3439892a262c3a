import type { TaskContext } from '../core/context.js';
import { ExitCode } from '../core/errors.js';
import { assertCanConfirm } from '../core/prompt.js';
import { invokeTerragrunt } from '../terragrunt/invoke.js';
import { discardPlan } from '../terragrunt/saved-plan.js';
import { exitCodeOf, summaryTable } from './all.js';
import { forEachUnit, unitParallelism } from './each-unit.js';
import { initGate } from './init-gate.js';
import { confirmTypedName, destroyConfirmation, type DestroyOptions } from './destroy.js';
import { prepareDeploy } from './prepare.js';
import { assertSessionRunway } from './session-runway.js';
import { findUnits, unitContext } from './units.js';

/** `destroy --all`: every unit, dependents first (the reverse of apply), after one typed confirmation. */
export async function destroyAll(opts: DestroyOptions, ctx: TaskContext): Promise<number> {
  const confirmation = destroyConfirmation(
    opts,
    `This destroys every unit under ${opts.config.infraDir}, the ECR Public repository ${opts.config.repositoryName} included (state bucket ${opts.config.stateBucket} stays).`,
    ' --all',
  );
  assertCanConfirm(ctx, confirmation);
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  assertSessionRunway(opts.config, dc.expiration, new Date());
  const units = await findUnits(dc, ctx, 'destroy');
  ctx.log.info(
    `Units, in the order they are destroyed: ${[...units]
      .reverse()
      .map((u) => u.path)
      .join(', ')}`,
  );
  await confirmTypedName(ctx, confirmation, ' --all');
  const gate = initGate();
  const results = await forEachUnit(
    units,
    ctx,
    async (unit, uctx) => {
      const udc = unitContext(dc, unit);
      await gate.run(udc.unitDir, uctx, () => invokeTerragrunt(udc, uctx, { kind: 'destroy' }));
      await discardPlan(udc.unitDir);
      ctx.signal.throwIfAborted();
      return { result: 'destroyed', changes: '-' };
    },
    { parallelism: unitParallelism(dc.config), direction: 'reverse' },
  );
  ctx.log.info(`\n${summaryTable(results)}`);
  if (ctx.signal.aborted) return ExitCode.interrupted;
  if (results.every((r) => r.ok)) ctx.log.info(`State history stays in s3://${opts.config.stateBucket}.`);
  return exitCodeOf(results);
}
