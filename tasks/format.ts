import { loadConfig, type Overrides } from '../lib/config/load.js';
import type { TaskContext } from '../lib/core/context.js';
import { ExitCode } from '../lib/core/errors.js';
import { infraTree } from '../lib/infra/tree.js';
import { missingTools } from '../lib/lint/missing-tools.js';
import { runSteps } from '../lib/lint/run-steps.js';
import { formatSteps } from '../lib/lint/steps.js';
import { resolveTools } from '../lib/tools/resolve.js';
import { toolSettingsOf } from '../lib/tools/tool-settings.js';

export interface FormatOptions {
  /** Setting flags: the Terragrunt root whose HCL is rewritten. */
  overrides: Overrides;
}

/** Rewrites TypeScript (Prettier) and HCL (terraform fmt, terragrunt hcl fmt) in place. */
export async function run(opts: FormatOptions, ctx: TaskContext): Promise<number> {
  const config = loadConfig(opts.overrides, ctx.env);
  const infra = infraTree(config, ctx.projectDir);
  const resolved = await resolveTools(ctx, { install: false, only: ['terraform', 'terragrunt'], tools: toolSettingsOf(config, ctx.env) });
  const steps = formatSteps({ projectDir: ctx.projectDir, tools: resolved.paths, missing: missingTools(resolved), infra });
  const results = await runSteps(steps, ctx.env, ctx.log);
  return results.every((r) => r.ok) ? ExitCode.ok : ExitCode.failure;
}
