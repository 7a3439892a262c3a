import { join, resolve } from 'node:path';
import type { Config } from '../config/load.js';
import type { TaskContext } from '../core/context.js';
import { TaskError } from '../core/errors.js';
import { ensureFolder } from '../os/file-target.js';
import { toolsCacheRoot } from './cache.js';
import { probeCache } from './probe-cache.js';
import { ensureCliConfig, resolveTools } from './resolve.js';
import { requireTools } from './require.js';
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
  /** DEPLOY_PLUGIN_CACHE_DIR, or the tools cache's with the mirror; undefined leaves terraform's own (TF_PLUGIN_CACHE_DIR, CLI config). */
  pluginCacheDir: string | undefined;
}

/** An explicitly configured binary must still be the pinned version: no silent drift. */
export async function checkExplicit(ctx: TaskContext, tool: 'terraform' | 'terragrunt', bin: string, setting: string): Promise<void> {
  const required = (await readToolVersions(ctx.projectDir))[tool];
  const runner = probeCache(toolsCacheRoot(ctx.env)).wrap(spawnRunner);
  const check = await checkVersion(tool, bin, required, { env: ctx.env, runner, signal: ctx.signal });
  if (check.ok) return;
  throw new TaskError(`${setting}=${bin} is not ${tool} ${required}: ${check.problem ?? 'unknown version'}`, {
    code: 'TOOL_VERSION',
    hint: `Install ${tool} ${required} (asdf install, or npm run tools) and point ${setting} at it, or unset ${setting}.`,
  });
}

/** terraform alone (doctor's format check needs no terragrunt). */
export async function pinnedTerraform(config: Config, ctx: TaskContext): Promise<string> {
  if (config.terraformPath) {
    await checkExplicit(ctx, 'terraform', config.terraformPath, 'DEPLOY_TERRAFORM_PATH');
    return config.terraformPath;
  }
  return requireTools(await resolveTools(ctx, { install: false, only: ['terraform'] }), ['terraform']).terraform;
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
  const pluginCacheDir = pluginCacheDirFor(config, ctx, mirror);
  // Independent checks side by side: the resolution, each configured binary's version, the plugin cache dir.
  const [resolved] = await Promise.all([
    resolveTools(ctx, { install: false, only }),
    config.terraformPath ? checkExplicit(ctx, 'terraform', config.terraformPath, 'DEPLOY_TERRAFORM_PATH') : undefined,
    config.terragruntPath ? checkExplicit(ctx, 'terragrunt', config.terragruntPath, 'DEPLOY_TERRAGRUNT_PATH') : undefined,
    pluginCacheDir === undefined ? undefined : ensurePluginCacheDir(pluginCacheDir),
  ]);
  const paths = requireTools(resolved, only);
  return {
    terraform: config.terraformPath ?? paths.terraform,
    terragrunt: config.terragruntPath ?? paths.terragrunt,
    cliConfigFile: mirror ? await ensureCliConfig(ctx) : undefined,
    pluginCacheDir,
  };
}

/**
 * DEPLOY_PLUGIN_CACHE_DIR, else the operator's (or a workflow's) own TF_PLUGIN_CACHE_DIR, else,
 * with the mirror only, the tools cache's. Absolute: terraform would resolve a relative one
 * against its working dir inside .terragrunt-cache. Created here, as terraform does not.
 */
function pluginCacheDirFor(config: Config, ctx: TaskContext, mirror: boolean): string | undefined {
  if (config.pluginCacheDir) return resolve(ctx.projectDir, config.pluginCacheDir);
  const own = ctx.env.TF_PLUGIN_CACHE_DIR;
  if (own !== undefined && own !== '') return resolve(own);
  return mirror ? join(toolsCacheRoot(ctx.env), 'plugin-cache') : undefined;
}

async function ensurePluginCacheDir(dir: string): Promise<void> {
  await ensureFolder(dir, {
    what: 'the Terraform plugin cache',
    fix: 'Point DEPLOY_PLUGIN_CACHE_DIR (or TF_PLUGIN_CACHE_DIR, or TOOLS_CACHE_DIR whose plugin-cache/ it is) at a writable folder, or unset it.',
  });
}
