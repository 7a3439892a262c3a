import type { TaskContext } from '../lib/core/context.js';
import { showAllOutputs } from './output/all.js';
import { showOutputs, type OutputOptions } from './output/single.js';

/** `npm run output`: the repository unit's outputs, or with --all every unit's and the downstream keys with ROLE_ARN. */
export function run(opts: OutputOptions & { all: boolean }, ctx: TaskContext): Promise<number> {
  return opts.all ? showAllOutputs(opts, ctx) : showOutputs(opts, ctx);
}
