import { loadConfig, type Overrides } from '../lib/config/load.js';
import type { TaskContext, TaskRunner } from '../lib/core/context.js';
import { createSandboxWorkspace, type SandboxWorkspace } from './sandbox/workspace.js';
import { resolveTools, type ToolName } from '../lib/tools/resolve.js';
import { requireTools } from '../lib/tools/require.js';
import { toolSettingsOf } from '../lib/tools/tool-settings.js';
import { describeFaults, parseFaults, type FaultSpec } from '../sandbox/faults.js';
import { startSandbox, type Sandbox } from '../sandbox/harness.js';
import { rehearseLifecycle } from './sandbox/rehearse.js';

export interface SandboxOptions {
  /** Leave the sandbox running (until Ctrl-C) and write .sandbox.env for pointing the tasks at it. */
  keep: boolean;
  /** `--faults s3-lag=3,throttle=4,...`: AWS failures the sandbox injects, deterministically (by request counts). */
  faults: string | undefined;
  /** Setting flags given on the command line (flag > environment > default). */
  overrides: Overrides;
  /** Runs each step of the rehearsal as its task (the CLI's registry). */
  runTask: TaskRunner;
}

async function keepRunning(sandboxEnv: Record<string, string>, workspace: SandboxWorkspace, ctx: TaskContext): Promise<void> {
  await workspace.writeEnvFile(sandboxEnv);
  ctx.log.info(
    `\nSandbox is up. In another shell:\n  set -a; . ${workspace.envFile}; set +a\n  npm run plan\nPress Ctrl-C here to stop it (that removes ${workspace.envFile}).`,
  );
  if (!ctx.signal.aborted) await new Promise((resolve) => ctx.signal.addEventListener('abort', resolve, { once: true }));
}

export async function run(opts: SandboxOptions, ctx: TaskContext): Promise<number> {
  const base = loadConfig(opts.overrides, ctx.env);
  const faults: FaultSpec = opts.faults === undefined ? {} : parseFaults(opts.faults);
  // Binaries named by DEPLOY_TERRAFORM_PATH / DEPLOY_TERRAGRUNT_PATH are the tasks' to check, as everywhere.
  const needed: ToolName[] = [
    'moto',
    'aws-provider',
    ...(base.terraformPath ? [] : ['terraform' as const]),
    ...(base.terragruntPath ? [] : ['terragrunt' as const]),
  ];
  const tools = requireTools(await resolveTools(ctx, { install: true, only: needed, tools: toolSettingsOf(base, ctx.env) }), needed);
  const workspace = await createSandboxWorkspace(ctx.projectDir, base.infraDir);
  let sandbox: Sandbox | undefined;
  try {
    sandbox = await startSandbox({
      motoServerBin: tools.motoServer,
      startTimeoutMs: base.sandboxStartTimeoutSeconds * 1000,
      registryAlias: 'sandbox',
      baseEnv: ctx.env,
      faults,
    });
    ctx.log.info(`Sandbox faults: ${describeFaults(faults)}`);
    // The rehearsal, and any shell that sources .sandbox.env, work on the scratch copy.
    const env = { ...sandbox.env, DEPLOY_INFRA_DIR: workspace.infraDir };
    const code = await rehearseLifecycle(ctx, opts.runTask, env, { ...opts.overrides, infraDir: workspace.infraDir });
    if (code === 0 && opts.keep) await keepRunning(env, workspace, ctx);
    return code;
  } finally {
    await sandbox?.stop();
    await workspace.remove();
  }
}
