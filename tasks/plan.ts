import type { TaskContext } from '../lib/core/context.js';
import { planAll } from '../lib/deploy/plan-all.js';
import { planUnit, type PlanOptions } from '../lib/deploy/plan.js';

/** `npm run plan`: one unit (DEPLOY_UNIT), or with --all every unit in dependency order. */
export function run(opts: PlanOptions & { all: boolean }, ctx: TaskContext): Promise<number> {
  return opts.all ? planAll(opts, ctx) : planUnit(opts, ctx);
}
