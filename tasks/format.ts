import type { TaskContext } from '../lib/context.js';
import { ExitCode } from '../lib/errors.js';
import { runSteps } from '../lib/lint/run-steps.js';
import { formatSteps } from '../lib/lint/steps.js';
import { resolveTools } from '../lib/tools/resolve.js';
import { missingTools } from './lint.js';

export interface FormatOptions {
  color: boolean;
}

/** Rewrites TypeScript (Prettier) and HCL (terraform fmt, terragrunt hcl fmt) in place. */
export async function run(opts: FormatOptions, ctx: TaskContext): Promise<number> {
  const resolved = await resolveTools(ctx, { install: false, only: ['terraform', 'terragrunt'] });
  const results = await runSteps(
    formatSteps({ projectDir: ctx.projectDir, tools: resolved.paths, missing: missingTools(resolved) }),
    ctx.env,
    ctx.log,
    opts.color,
  );
  return results.every((r) => r.ok) ? ExitCode.ok : ExitCode.failure;
}
