import { resolve } from 'node:path';
import type { Config } from '../config/load.js';
import type { TaskContext } from '../core/context.js';
import { TaskError } from '../core/errors.js';
import { ensureFolder } from '../os/file-target.js';
import { probeCache } from './probe-cache.js';
import { ensureCliConfig, resolveTools } from './resolve.js';
import { requireTools } from './require.js';
import { toolSettingsOf, type ToolSettings } from './tool-settings.js';
import { readToolVersions } from './tool-versions.js';
import { checkVersion, spawnRunner } from './version-check.js';

/** The binaries and Terraform settings a terragrunt run uses. */
export interface PinnedToolchain {
  terraform: string;
  terragrunt: string;
  /**
   * Only with TOOLS_PROVIDER_MIRROR (rehearsals and tests): the CLI config that serves the
   * source-built AWS provider from the tools cache. Undefined for every real run: terraform
   * installs the provider from the registry as the operator's own CLI config says, checked
   * against the committed lock files, which init never rewrites.
   */
  cliConfigFile: string | undefined;
  /** DEPLOY_PLUGIN_CACHE_DIR, or the operator's TF_PLUGIN_CACHE_DIR; undefined leaves terraform's own (CLI config). */
  pluginCacheDir: string | undefined;
}

/** An explicitly configured binary: `setting` names it, the tools cache keeps its version probe. */
export interface ExplicitBinary {
  tool: 'terraform' | 'terragrunt';
  bin: string;
  setting: string;
  /** Where the probe is remembered (the tools cache) and its bound. */
  tools: Pick<ToolSettings, 'cacheRoot' | 'probeTimeoutMs'>;
}

/** An explicitly configured binary must still be the pinned version: no silent drift. */
export async function checkExplicit(ctx: TaskContext, { tool, bin, setting, tools }: ExplicitBinary): Promise<void> {
  const required = (await readToolVersions(ctx.projectDir))[tool];
  const runner = probeCache(tools.cacheRoot).wrap(spawnRunner);
  const check = await checkVersion(tool, bin, required, { env: ctx.env, runner, signal: ctx.signal, timeoutMs: tools.probeTimeoutMs });
  if (check.ok) return;
  throw new TaskError(`${setting}=${bin} is not ${tool} ${required}: ${check.problem ?? 'unknown version'}`, {
    code: 'TOOL_VERSION',
    hint: `Install ${tool} ${required} (asdf install, or npm run tools) and point ${setting} at it, or unset ${setting}.`,
  });
}

/** terraform alone (doctor's format check needs no terragrunt). */
export async function pinnedTerraform(config: Config, ctx: TaskContext): Promise<string> {
  const tools = toolSettingsOf(config, ctx.env);
  if (config.terraformPath) {
    await checkExplicit(ctx, {
      tool: 'terraform',
      bin: config.terraformPath,
      setting: 'DEPLOY_TERRAFORM_PATH',
      tools,
    });
    return config.terraformPath;
  }
  return requireTools(await resolveTools(ctx, { install: false, only: ['terraform'], tools }), ['terraform']).terraform;
}

/** Finds terraform and terragrunt at exactly the versions in .tool-versions (config paths, PATH, or the tools cache). */
export async function pinnedToolchain(config: Config, ctx: TaskContext): Promise<PinnedToolchain> {
  const mirror = config.providerMirror;
  const only = [
    ...(config.terraformPath ? [] : ['terraform' as const]),
    ...(config.terragruntPath ? [] : ['terragrunt' as const]),
    // The source-built provider is looked at only when asked for: what the cache holds never decides.
    ...(mirror ? ['aws-provider' as const] : []),
  ];
  const tools = toolSettingsOf(config, ctx.env);
  const pluginCacheDir = pluginCacheDirFor(config, ctx);
  // Independent checks side by side: the resolution, each configured binary's version, the plugin cache dir.
  const [resolved] = await Promise.all([
    resolveTools(ctx, { install: false, only, tools }),
    config.terraformPath
      ? checkExplicit(ctx, { tool: 'terraform', bin: config.terraformPath, setting: 'DEPLOY_TERRAFORM_PATH', tools })
      : undefined,
    config.terragruntPath
      ? checkExplicit(ctx, { tool: 'terragrunt', bin: config.terragruntPath, setting: 'DEPLOY_TERRAGRUNT_PATH', tools })
      : undefined,
    pluginCacheDir === undefined ? undefined : ensurePluginCacheDir(pluginCacheDir),
  ]);
  const paths = requireTools(resolved, only);
  return {
    terraform: config.terraformPath ?? paths.terraform,
    terragrunt: config.terragruntPath ?? paths.terragrunt,
    cliConfigFile: mirror ? await ensureCliConfig(ctx.projectDir, tools) : undefined,
    pluginCacheDir,
  };
}

/**
 * DEPLOY_PLUGIN_CACHE_DIR, else the operator's (or a workflow's) own TF_PLUGIN_CACHE_DIR. Absolute:
 * terraform would resolve a relative one against its working dir inside .terragrunt-cache. Created
 * here, as terraform does not. None of ours with the mirror: terraform links each unit's provider
 * straight to the unpacked mirror, which is shared and only read, while a shared plugin cache is
 * written (remove, then link) by every init without a lock entry, and inits side by side (units, test
 * files) race there; Terraform does not make its plugin cache safe for concurrent use.
 */
function pluginCacheDirFor(config: Config, ctx: TaskContext): string | undefined {
  if (config.pluginCacheDir) return resolve(ctx.projectDir, config.pluginCacheDir);
  const own = ctx.env.TF_PLUGIN_CACHE_DIR;
  return own !== undefined && own !== '' ? resolve(own) : undefined;
}

async function ensurePluginCacheDir(dir: string): Promise<void> {
  await ensureFolder(dir, {
    what: 'the Terraform plugin cache',
    fix: 'Point DEPLOY_PLUGIN_CACHE_DIR (or TF_PLUGIN_CACHE_DIR) at a writable folder, or unset it.',
  });
}
