import { rm } from 'node:fs/promises';
import { loadConfig, type Overrides } from '../lib/config/load.js';
import type { TaskContext } from '../lib/core/context.js';
import { ExitCode } from '../lib/core/errors.js';
import { projectName, rootHclInputs } from '../lib/deploy/prepare.js';
import { infraTree } from '../lib/infra/tree.js';
import { missingTools } from '../lib/lint/missing-tools.js';
import { initialisedModuleCopies, terraformModules } from '../lib/lint/module-copy.js';
import { runSteps } from '../lib/lint/run-steps.js';
import { lintSteps } from '../lib/lint/steps.js';
import { resolveTools } from '../lib/tools/resolve.js';

export interface LintOptions {
  /** Setting flags: the Terragrunt root to check, and the root.hcl values terragrunt hcl validate needs. */
  overrides: Overrides;
}

/** TypeScript and HCL checks with the pinned tools; any finding (or missing tool) fails the run. */
export async function run(opts: LintOptions, ctx: TaskContext): Promise<number> {
  const config = loadConfig(opts.overrides, ctx.env);
  const infra = infraTree(config, ctx.projectDir);
  const resolved = await resolveTools(ctx, {
    install: false,
    only: ['terraform', 'terragrunt', 'aws-provider', 'tflint', 'tflint-ruleset-aws', 'checkov'],
  });
  const missing = missingTools(resolved);
  const mirror = resolved.statuses.some((s) => s.name === 'aws-provider' && s.source !== 'unavailable');
  const env = { ...ctx.env, CHECKPOINT_DISABLE: '1', ...(mirror ? { TF_CLI_CONFIG_FILE: resolved.paths.cliConfigFile } : {}) };
  const modules = terraformModules(infra.tree);
  const copies = missing.terraform
    ? { scratch: undefined, copies: modules.map((source) => ({ source, dir: source })) }
    : await initialisedModuleCopies(modules, resolved.paths.terraform, env);
  try {
    const rootHclEnv = rootHclInputs(config, await projectName(ctx.projectDir));
    const steps = lintSteps({ rootHclEnv, projectDir: ctx.projectDir, tools: resolved.paths, missing, infra, modules: copies.copies });
    const results = await runSteps(steps, env, ctx.log);
    const failed = results.filter((r) => !r.ok);
    ctx.log.info(
      failed.length === 0
        ? 'lint: all clean'
        : `lint: ${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.name).join(', ')}`,
    );
    return failed.length === 0 ? ExitCode.ok : ExitCode.failure;
  } finally {
    if (copies.scratch !== undefined) await rm(copies.scratch, { recursive: true, force: true });
  }
}
