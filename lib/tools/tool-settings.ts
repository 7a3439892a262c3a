import { loadToolConfig, type Overrides, type ToolConfig } from '../config/load.js';
import { toolsCacheRoot } from './cache.js';

// The tool settings are specs of the settings table (lib/config/tool-specs.ts); these names are for messages.
export const sourceDirSetting = 'TOOLS_SOURCE_DIR';
export const buildFromSourceSetting = 'TOOLS_BUILD_FROM_SOURCE';
export const hashicorpKeyFileSetting = 'TOOLS_HASHICORP_KEY_FILE';

/** The end of every download failure's fix: the offline ways, named by their settings. */
export const offlineFix = `or, where the release sites cannot be reached, build from source instead: export ${buildFromSourceSetting}=true (and ${sourceDirSetting}=<folder of the terraform and terragrunt source archives>), then: npm run tools`;

export interface ReleaseBases {
  hashicorpUrl: string;
  githubUrl: string;
}

/**
 * The tool settings as the tool code uses them: validated by the settings table and resolved
 * once, by the task, so nothing below it reads them from the environment.
 */
export interface ToolSettings {
  /** TOOLS_CACHE_DIR, else the XDG default (lib/tools/cache.ts). */
  cacheRoot: string;
  /** TOOLS_SOURCE_DIR: the folder of the pinned terraform and terragrunt source archives, if any. */
  sourceDir: string | undefined;
  buildFromSource: boolean;
  /** TOOLS_DOWNLOAD_TIMEOUT_SECONDS in ms: one bound for each whole download. */
  downloadTimeoutMs: number;
  /** TOOLS_PROBE_TIMEOUT_SECONDS in ms: the bound on each version probe of a binary. */
  probeTimeoutMs: number;
  releaseBases: ReleaseBases;
  /** TOOLS_HASHICORP_KEY_FILE; undefined for HashiCorp's committed key. */
  hashicorpKeyFile: string | undefined;
}

/** From validated settings (a task's Config holds them too); `env` places the cache when TOOLS_CACHE_DIR is unset. */
export function toolSettingsOf(config: ToolConfig, env: NodeJS.ProcessEnv): ToolSettings {
  return {
    cacheRoot: toolsCacheRoot(config.toolsCacheDir, env),
    sourceDir: config.toolsSourceDir,
    buildFromSource: config.toolsBuildFromSource,
    downloadTimeoutMs: config.toolsDownloadTimeoutSeconds * 1000,
    probeTimeoutMs: config.toolsProbeTimeoutSeconds * 1000,
    releaseBases: { hashicorpUrl: config.toolsHashicorpReleasesUrl, githubUrl: config.toolsGithubUrl },
    hashicorpKeyFile: config.toolsHashicorpKeyFile,
  };
}

/**
 * The tool settings alone (flag beats environment beats default), for the tasks that run no
 * terragrunt and so validate no deploy setting: a bad one stops the task with every problem
 * listed (exit 64) before anything is installed.
 */
export function loadToolSettings(overrides: Overrides, env: NodeJS.ProcessEnv): ToolSettings {
  return toolSettingsOf(loadToolConfig(overrides, env), env);
}
