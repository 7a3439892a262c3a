import { rm } from 'node:fs/promises';
import { loadConfig, type Overrides } from '../lib/config/load.js';
import type { TaskContext } from '../lib/core/context.js';
import { ExitCode } from '../lib/core/errors.js';
import { projectName, rootHclInputs } from '../lib/deploy/prepare.js';
import { infraTree } from '../lib/infra/tree.js';
import { selectChecks, toolsFor } from '../lib/lint/checks.js';
import { missingTools } from '../lib/lint/missing-tools.js';
import { initialisedModuleCopies, terraformModules } from '../lib/lint/module-copy.js';
import { runSteps } from '../lib/lint/run-steps.js';
import { lintSteps } from '../lib/lint/steps.js';
import { workflowFiles } from '../lib/lint/workflow-files.js';
import { ensureCliConfig, resolveTools } from '../lib/tools/resolve.js';
import { toolSettingsOf } from '../lib/tools/tool-settings.js';
import { readToolsLock } from '../lib/tools/tools-lock.js';

export interface LintOptions {
  /** Setting flags: the Terragrunt root to check, and the root.hcl values terragrunt hcl validate needs. */
  overrides: Overrides;
  /** `--only`: these checks (lintChecks in lib/lint/checks.ts), as the pre-commit hooks run them; every check when absent. */
  only: string[] | undefined;
}

/** TypeScript and HCL checks with the pinned tools; any finding (or missing tool) fails the run. */
export async function run(opts: LintOptions, ctx: TaskContext): Promise<number> {
  const checks = selectChecks(opts.only);
  const config = loadConfig(opts.overrides, ctx.env);
  const infra = infraTree(config, ctx.projectDir);
  // Only the tools the chosen checks run: a hook that runs eslint needs no terraform. The
  // source-built provider only where asked for; otherwise terraform init uses the registry.
  const mirror = config.providerMirror && checks.includes('terraform-validate');
  const tools = toolSettingsOf(config, ctx.env);
  const only = [...toolsFor(checks), ...(mirror ? ['aws-provider' as const] : [])];
  const resolved = await resolveTools(ctx, { install: false, only, tools });
  const missing = missingTools(resolved);
  const cliConfig = mirror ? { TF_CLI_CONFIG_FILE: await ensureCliConfig(ctx.projectDir, tools) } : {};
  const env = { ...ctx.env, CHECKPOINT_DISABLE: '1', ...cliConfig };
  const modules = terraformModules(infra.tree);
  // The initialised module copies (terraform init of each) only for terraform validate.
  const copies =
    missing.terraform || !checks.includes('terraform-validate')
      ? { scratch: undefined, copies: modules.map((source) => ({ source, dir: source })) }
      : await initialisedModuleCopies(modules, resolved.paths.terraform, env);
  try {
    const rootHclEnv = rootHclInputs(config, await projectName(ctx.projectDir));
    const { projectDir } = ctx;
    const workflows = workflowFiles(projectDir);
    const providerPin = (await readToolsLock(projectDir)).terraformProvider;
    const all = lintSteps({
      rootHclEnv,
      projectDir,
      tools: resolved.paths,
      missing,
      infra,
      modules: copies.copies,
      workflows,
      providerPin,
    });
    const steps = all.filter((step) => checks.includes(step.check));
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
