import { childEnvironment } from '../lib/aws/child-env.js';
import { loadConfig } from '../lib/config/load.js';
import { projectName, rootHclInputs, terraformSettings, unitDirectory } from '../lib/deploy/prepare.js';
import { runTool, type ToolRun } from '../lib/core/run-tool.js';
import { pinnedToolchain } from '../lib/tools/toolchain.js';
import { benchContext } from './context.js';
import type { Sandbox } from '../sandbox/harness.js';

/**
 * The plain-Terragrunt way the tasks replace, run the way an operator (or the seed's
 * Makefile) ran it: terragrunt in the unit, non-interactive, with the same root.hcl
 * inputs, pinned binaries, provider mirror and explicit keys the tasks hand it.
 */
export interface Anchor {
  unitDir: string;
  /** The pinned binaries the tasks would use. */
  bins: { terraform: string; terragrunt: string };
  /** `terragrunt backend bootstrap`: terragrunt creates and configures the state bucket itself (non-interactive: it answers yes). */
  bootstrap(): Promise<AnchorRun>;
  /** Another terragrunt command in the unit (init, plan), terraform's own flags after `--`. */
  terragrunt(command: string, terraformArgs: string[]): Promise<AnchorRun>;
  env: NodeJS.ProcessEnv;
}

export interface AnchorRun extends ToolRun {
  durationMs: number;
}

/** `extra` is whatever the caller points it at besides the sandbox (a bucket of its own, a short-lived session). */
export async function terragruntAnchor(sandbox: Sandbox, projectDir: string, extra: Record<string, string>): Promise<Anchor> {
  const all = { ...process.env, ...sandbox.env, ...extra };
  const config = loadConfig({}, all);
  const toolchain = await pinnedToolchain(config, benchContext(projectDir, all));
  const credentials = {
    accessKeyId: all.AWS_ACCESS_KEY_ID ?? '',
    secretAccessKey: all.AWS_SECRET_ACCESS_KEY ?? '',
    sessionToken: all.AWS_SESSION_TOKEN ?? '',
  };
  const inputs = { ...rootHclInputs(config, await projectName(projectDir)), ...terraformSettings(toolchain, config, all) };
  const env = childEnvironment(all, credentials, inputs);
  const unitDir = unitDirectory(config, projectDir);
  const common = ['--non-interactive', '--log-format', 'bare', '--no-color', '--working-dir', unitDir];
  const timed = async (args: string[]): Promise<AnchorRun> => {
    const started = performance.now();
    const run = await runTool(toolchain.terragrunt, args, { cwd: unitDir, env });
    return { ...run, durationMs: Math.round(performance.now() - started) };
  };
  return {
    unitDir,
    bins: { terraform: toolchain.terraform, terragrunt: toolchain.terragrunt },
    env,
    bootstrap: () => timed(['backend', 'bootstrap', ...common]),
    terragrunt: (command, terraformArgs) => timed([command, ...common, '--tf-path', toolchain.terraform, '--', ...terraformArgs]),
  };
}
