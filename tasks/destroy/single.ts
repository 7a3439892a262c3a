import type { Config } from '../../lib/config/load.js';
import type { TaskContext } from '../../lib/core/context.js';
import { prepareDeploy } from '../../lib/deploy/prepare.js';
import { assertSessionRunway } from '../../lib/deploy/session-runway.js';
import { ExitCode, TaskError } from '../../lib/core/errors.js';
import { assertCanConfirm, confirm, type ConfirmOptions } from '../../lib/core/prompt.js';
import { discardPlan } from '../../lib/terragrunt/saved-plan.js';
import { invokeTerragrunt } from '../../lib/terragrunt/invoke.js';

export interface DestroyOptions {
  config: Config;
  yes: boolean;
}

/**
 * Destroy asks for the repository's name, typed, however many units go; `flags` are the
 * destroy flags of the run (`''` or `' --all'`) for the way forward.
 */
export function destroyConfirmation(opts: DestroyOptions, question: string, flags: string): ConfirmOptions {
  return {
    question,
    expected: opts.config.repositoryName,
    yes: opts.yes,
    action: 'destroy',
    withoutTerminal: `Run it in a terminal to type the repository name, or pass --yes in automation (npm run destroy --${flags} --yes).`,
  };
}

/** Asks; a name that does not match cancels, and nothing was changed. */
export async function confirmTypedName(ctx: TaskContext, confirmation: ConfirmOptions, flags: string): Promise<void> {
  if (await confirm(ctx, confirmation)) return;
  throw new TaskError('Destroy cancelled: the typed name did not match; nothing was changed.', {
    code: 'CANCELLED',
    hint: `Run npm run destroy${flags === '' ? '' : ` --${flags}`} again and type the repository name exactly.`,
  });
}

/** Destroys the unit's resources; the state bucket and its history are never touched. */
export async function destroyUnit(opts: DestroyOptions, ctx: TaskContext): Promise<number> {
  const confirmation = destroyConfirmation(
    opts,
    `This deletes the ECR Public repository of unit ${opts.config.unit} (state bucket ${opts.config.stateBucket} stays).`,
    '',
  );
  // No terminal and no --yes: refuse before any AWS call rather than after.
  assertCanConfirm(ctx, confirmation);
  const dc = await prepareDeploy(opts.config, ctx, 'require');
  // Before asking, and before destroy takes the state lock.
  assertSessionRunway(opts.config, dc.expiration, new Date());
  await confirmTypedName(ctx, confirmation, '');
  const result = await invokeTerragrunt(dc, ctx, { kind: 'destroy' });
  await discardPlan(dc.unitDir);
  if (result.interrupted) return ExitCode.interrupted;
  ctx.log.info(`Destroyed the resources of unit ${opts.config.unit}; state history stays in s3://${opts.config.stateBucket}.`);
  return ExitCode.ok;
}
