import type { TaskContext } from '../lib/core/context.js';
import { destroyAll } from './destroy/all.js';
import { destroyUnit, type DestroyOptions } from './destroy/single.js';

/** `npm run destroy`: one unit (DEPLOY_UNIT), or with --all every unit, dependents first. */
export function run(opts: DestroyOptions & { all: boolean }, ctx: TaskContext): Promise<number> {
  return opts.all ? destroyAll(opts, ctx) : destroyUnit(opts, ctx);
}
