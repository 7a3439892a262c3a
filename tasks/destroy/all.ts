import type { TaskContext } from '../../lib/core/context.js';
import { ExitCode } from '../../lib/core/errors.js';
import { assertCanConfirm } from '../../lib/core/prompt.js';
import { invokeTerragrunt } from '../../lib/terragrunt/invoke.js';
import { discardPlan } from '../../lib/terragrunt/saved-plan.js';
import { exitCodeOf, summaryTable } from '../../lib/deploy/all.js';
import { forEachUnit, unitParallelism } from '../../lib/deploy/each-unit.js';
import { initGate } from '../../lib/deploy/init-gate.js';
import { confirmTypedName, destroyConfirmation, type DestroyOptions } from './single.js';
import { prepareDeploy } from '../../lib/deploy/prepare.js';
import { assertSessionRunway } from '../../lib/deploy/session-runway.js';
import { findUnits, unitContext } from '../../lib/deploy/units.js';

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
