import type { TaskContext } from '../lib/core/context.js';
import { applyAll, type ApplyAllOptions } from './apply/all.js';
import { applyUnit } from './apply/single.js';

/** `npm run apply`: one unit (DEPLOY_UNIT), or with --all every unit in dependency order after one confirmation. */
export function run(opts: ApplyAllOptions & { all: boolean }, ctx: TaskContext): Promise<number> {
  return opts.all ? applyAll(opts, ctx) : applyUnit(opts, ctx);
}
