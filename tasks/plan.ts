import type { TaskContext } from '../lib/core/context.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import { planAll, type PlanAllOptions } from './plan/all.js';
import { planUnit } from './plan/single.js';

/** `npm run plan`: one unit (DEPLOY_UNIT), or with --all every unit in dependency order. */
export function run(opts: PlanAllOptions & { all: boolean }, ctx: TaskContext): Promise<number> {
  if (opts.all) return planAll(opts, ctx);
  if (opts.summary === 'github')
    throw new TaskError('--summary github summarises a run over every unit, so it needs --all.', {
      code: 'USAGE',
      hint: 'Run npm run plan -- --all --summary github.',
      exitCode: ExitCode.config,
    });
  return planUnit(opts, ctx);
}
