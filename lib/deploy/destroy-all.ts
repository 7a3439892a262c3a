import type { TaskContext } from '../core/context.js';
import { ExitCode, TaskError } from '../core/errors.js';
import { assertCanConfirm, confirm, type ConfirmOptions } from '../core/prompt.js';
import { invokeTerragrunt } from '../terragrunt/invoke.js';
import { discardPlan } from '../terragrunt/saved-plan.js';
import { exitCodeOf, forEachUnit, summaryTable } from './all.js';
import type { DestroyOptions } from './destroy.js';
import { prepareDeploy } from './prepare.js';
import { assertSessionRunway } from './session-runway.js';
import { findUnits, unitContext } from './units.js';

/** `destroy --all`: every unit, dependents first (the reverse of apply), after one typed confirmation. */
export async function destroyAll(opts: DestroyOptions, ctx: TaskContext): Promise<number> {
  const confirmation: ConfirmOptions = {
    question: `This destroys every unit under ${opts.config.infraDir}, the ECR Public repository ${opts.config.repositoryName} included (state bucket ${opts.config.stateBucket} stays).`,
    expected: opts.config.repositoryName,
    yes: opts.yes,
    action: 'destroy',
    withoutTerminal: 'Run it in a terminal to type the repository name, or pass --yes in automation (npm run destroy -- --all --yes).',
  };
  assertCanConfirm(ctx, confirmation);
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  assertSessionRunway(opts.config, dc.expiration, new Date());
  const units = await findUnits(dc, ctx);
  ctx.log.info(
    `Units, in the order they are destroyed: ${[...units]
      .reverse()
      .map((u) => u.path)
      .join(', ')}`,
  );
  if (!(await confirm(ctx, confirmation)))
    throw new TaskError('Destroy cancelled: the typed name did not match; nothing was changed.', {
      code: 'CANCELLED',
      hint: 'Run npm run destroy -- --all again and type the repository name exactly.',
    });
  const results = await forEachUnit(
    units,
    ctx,
    async (unit) => {
      const udc = unitContext(dc, unit);
      await invokeTerragrunt(udc, ctx, { kind: 'destroy' });
      await discardPlan(udc.unitDir);
      ctx.signal.throwIfAborted();
      return { result: 'destroyed', changes: '-' };
    },
    'reverse',
  );
  ctx.log.info(`\n${summaryTable(results)}`);
  if (ctx.signal.aborted) return ExitCode.interrupted;
  if (results.every((r) => r.ok)) ctx.log.info(`State history stays in s3://${opts.config.stateBucket}.`);
  return exitCodeOf(results);
}
