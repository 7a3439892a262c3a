import { loadConfig, type Overrides } from '../lib/config/load.js';
import type { TaskContext } from '../lib/context.js';
import { ExitCode } from '../lib/errors.js';
import { createSandboxWorkspace, type SandboxWorkspace } from '../lib/sandbox-workspace.js';
import { requireTools, resolveTools, type ToolName } from '../lib/tools/resolve.js';
import { describeFaults, parseFaults, type FaultSpec } from '../test/sandbox/faults.js';
import { startSandbox, type Sandbox } from '../test/sandbox/harness.js';
import { run as apply } from './apply.js';
import { run as doctor } from './doctor.js';
import { run as init } from './init.js';
import { run as output } from './output.js';
import { run as plan } from './plan.js';

export interface SandboxOptions {
  /** Leave the sandbox running (until Ctrl-C) and write .sandbox.env for pointing the tasks at it. */
  keep: boolean;
  /** `--faults s3-lag=3,throttle=4,...`: AWS failures the sandbox injects, deterministically (by request counts). */
  faults?: string | undefined;
  /** Setting flags given on the command line (flag > environment > default). */
  overrides: Overrides;
}

/** The lifecycle an operator runs against AWS, rehearsed against the sandbox with the real tools. */
async function rehearse(sandbox: Sandbox, ctx: TaskContext, overrides: Overrides): Promise<number> {
  const sctx: TaskContext = { ...ctx, env: { ...ctx.env, ...sandbox.env } };
  const config = loadConfig(overrides, sctx.env);
  const steps: Array<[string, () => Promise<number>]> = [
    ['doctor', () => doctor({ overrides, color: false, json: false, strict: false }, sctx)],
    ['init', () => init({ config, color: false }, sctx)],
    ['plan', () => plan({ config, color: false, detailedExitCode: false }, sctx)],
    ['apply', () => apply({ config, color: false, yes: true }, sctx)],
    ['output', () => output({ config, color: false, format: 'text' }, sctx)],
  ];
  for (const [name, step] of steps) {
    ctx.log.info(`\n=== npm run ${name} (sandbox) ===`);
    const code = await step();
    // doctor runs before init, so "no state bucket yet" is expected there: it reports, it does not stop.
    if (code !== 0 && name !== 'doctor') return code;
  }
  return ExitCode.ok;
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
  const tools = requireTools(await resolveTools(ctx, { install: true, only: needed }), needed);
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
    const code = await rehearse({ ...sandbox, env }, ctx, { ...opts.overrides, infraDir: workspace.infraDir });
    if (code === 0 && opts.keep) await keepRunning(env, workspace, ctx);
    return code;
  } finally {
    await sandbox?.stop();
    await workspace.remove();
  }
}
