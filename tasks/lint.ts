import { rm } from 'node:fs/promises';
import { dirname } from 'node:path';
import { loadConfig, type Overrides } from '../lib/config/load.js';
import type { TaskContext } from '../lib/context.js';
import { projectName, rootHclInputs } from '../lib/deploy-context.js';
import { ExitCode } from '../lib/errors.js';
import { initialisedModuleCopy } from '../lib/lint/module-copy.js';
import { runSteps } from '../lib/lint/run-steps.js';
import { lintSteps, type LintInputs } from '../lib/lint/steps.js';
import { resolveTools, unavailableReason, type ResolveResult } from '../lib/tools/resolve.js';

export interface LintOptions {
  color: boolean;
  /** Setting flags (they feed the root.hcl values terragrunt hcl validate needs). */
  overrides: Overrides;
}

type Missing = LintInputs['missing'];

/** Why each lint tool is unavailable; the ruleset and the provider mirror count against tflint and terraform. */
export function missingTools(result: ResolveResult): Missing {
  const why = (name: string): string | undefined => {
    const s = result.statuses.find((t) => t.name === name);
    return s?.source === 'unavailable' ? `${unavailableReason(s)} (fix: npm run tools)` : undefined;
  };
  return {
    terraform: why('terraform'),
    terragrunt: why('terragrunt'),
    tflint: why('tflint') ?? why('tflint-ruleset-aws'),
    checkov: why('checkov'),
  };
}

/** TypeScript and HCL checks with the pinned tools; any finding (or missing tool) fails the run. */
export async function run(opts: LintOptions, ctx: TaskContext): Promise<number> {
  const resolved = await resolveTools(ctx, {
    install: false,
    only: ['terraform', 'terragrunt', 'aws-provider', 'tflint', 'tflint-ruleset-aws', 'checkov'],
  });
  const missing = missingTools(resolved);
  const mirror = resolved.statuses.some((s) => s.name === 'aws-provider' && s.source !== 'unavailable');
  const env = { ...ctx.env, CHECKPOINT_DISABLE: '1', ...(mirror ? { TF_CLI_CONFIG_FILE: resolved.paths.cliConfigFile } : {}) };
  const copy: { dir: string; error?: string } = missing.terraform
    ? { dir: ctx.projectDir }
    : await initialisedModuleCopy(ctx.projectDir, resolved.paths.terraform, env);
  try {
    const config = loadConfig(opts.overrides, ctx.env);
    const rootHclEnv = rootHclInputs(config, await projectName(ctx.projectDir));
    const inputs: LintInputs = {
      rootHclEnv,
      projectDir: ctx.projectDir,
      tools: resolved.paths,
      missing,
      moduleCopy: copy.dir,
      ...(copy.error ? { moduleCopyError: copy.error } : {}),
    };
    const results = await runSteps(lintSteps(inputs), env, ctx.log, opts.color);
    const failed = results.filter((r) => !r.ok);
    ctx.log.info(
      failed.length === 0
        ? 'lint: all clean'
        : `lint: ${failed.length} of ${results.length} checks failed: ${failed.map((r) => r.name).join(', ')}`,
    );
    return failed.length === 0 ? ExitCode.ok : ExitCode.failure;
  } finally {
    if (copy.dir !== ctx.projectDir) await rm(dirname(copy.dir), { recursive: true, force: true });
  }
}
