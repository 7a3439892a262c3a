import type { Config } from '../config/load.js';
import type { TaskContext } from '../core/context.js';
import { prepareDeploy } from './prepare.js';
import { assertSessionRunway } from './session-runway.js';
import { ExitCode, TaskError } from '../core/errors.js';
import { assertCanConfirm, confirm, type ConfirmOptions } from '../core/prompt.js';
import { discardPlan } from '../terragrunt/saved-plan.js';
import { invokeTerragrunt } from '../terragrunt/invoke.js';

export interface DestroyOptions {
  config: Config;
  yes: boolean;
}

/** Destroys the unit's resources; the state bucket and its history are never touched. */
export async function destroyUnit(opts: DestroyOptions, ctx: TaskContext): Promise<number> {
  const confirmation: ConfirmOptions = {
    question: `This deletes the ECR Public repository of unit ${opts.config.unit} (state bucket ${opts.config.stateBucket} stays).`,
    expected: opts.config.repositoryName,
    yes: opts.yes,
    action: 'destroy',
    withoutTerminal: 'Run it in a terminal to type the repository name, or pass --yes in automation (npm run destroy -- --yes).',
  };
  // No terminal and no --yes: refuse before any AWS call rather than after.
  assertCanConfirm(ctx, confirmation);
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  // Before asking, and before destroy takes the state lock.
  assertSessionRunway(opts.config, dc.expiration, new Date());
  const approved = await confirm(ctx, confirmation);
  if (!approved)
    throw new TaskError('Destroy cancelled: the typed name did not match; nothing was changed.', {
      code: 'CANCELLED',
      hint: 'Run npm run destroy again and type the repository name exactly.',
    });
  const result = await invokeTerragrunt(dc, ctx, { kind: 'destroy' });
  await discardPlan(dc.unitDir);
  if (result.interrupted) return ExitCode.interrupted;
  ctx.log.info(`Destroyed the resources of unit ${opts.config.unit}; state history stays in s3://${opts.config.stateBucket}.`);
  return ExitCode.ok;
}
