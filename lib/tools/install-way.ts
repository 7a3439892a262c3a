import type { TaskContext } from '../core/context.js';
import { TaskError } from '../core/errors.js';
import type { CacheLayout } from './cache.js';
import { buildGoTool, type GoBuildResult } from './go-build.js';
import { installRelease } from './release/install.js';
import { mirrorProvider } from './release/provider-mirror.js';
import { archivePath, buildFromArchive } from './source-archive.js';
import { buildFromSourceSetting, sourceDirSetting, type ToolSettings } from './tool-settings.js';
import type { GoRecipe, GoTool, ToolsLock } from './tools-lock.js';
import type { Runner } from './version-check.js';

/** What an install needs from the resolver: the pins, the cache, the process seam, and (for the provider) terraform. */
export interface InstallContext {
  lock: ToolsLock;
  layout: CacheLayout;
  projectDir: string;
  tools: ToolSettings;
  io: { env: NodeJS.ProcessEnv; log: TaskContext['log']; runner: Runner; signal: AbortSignal };
  /** The pinned terraform, provided first: the provider is mirrored with it. */
  terraform: () => Promise<string>;
}

export interface InstallRequest {
  tool: GoTool;
  required: string;
  buildDir: string;
  /** Why the quick ways did not do; the source build's failure names the offline setting first. */
  passed: string[];
}

/**
 * The install way, chosen by settings and never by what failed before: the verified
 * source archive where TOOLS_SOURCE_DIR is set (terraform, terragrunt), a Go build through
 * the module proxy where TOOLS_BUILD_FROM_SOURCE=true, else the official release. A
 * refused archive, build or download stops here: no way stands in for another.
 */
export async function installGoTool(w: InstallContext, { tool, required, buildDir, passed }: InstallRequest): Promise<GoBuildResult> {
  const recipe = w.lock.go[tool];
  const request = { tool, recipe, required, buildDir, ...w.io };
  const archive = recipe.sourceArchive;
  const where = archive === undefined ? undefined : archivePath(w.tools.sourceDir, archive);
  if (archive !== undefined && where !== undefined && 'file' in where) return buildFromArchive({ ...request, archive, file: where.file });
  if (!w.tools.buildFromSource) return download(w, tool, required);
  if (archive === undefined) return buildGoTool(request);
  try {
    return await buildGoTool(request);
  } catch (error) {
    if (!(error instanceof TaskError)) throw error;
    throw noWayLeft(tool, recipe, error, passed);
  }
}

/** The official release: from its site, or (the AWS provider) from its registry through the pinned terraform. */
function download(w: InstallContext, tool: GoTool, required: string): Promise<GoBuildResult> {
  const common = { version: required, dir: w.layout.downloadDir(tool, required), binary: w.lock.go[tool].binary, ...w.io };
  if (tool !== 'aws-provider') return installRelease({ ...common, tool, projectDir: w.projectDir, tools: w.tools });
  const { downloadTimeoutMs } = w.tools;
  return mirrorProvider({ ...common, source: w.lock.terraformProvider.source, terraform: w.terraform, downloadTimeoutMs });
}

/**
 * The source build failed and no archive was named. The setting that works on
 * registry-only machines is named first (in the reasons, which lead the status line, and
 * in the fix), then the others.
 */
function noWayLeft(tool: GoTool, recipe: GoRecipe, proxyError: TaskError, passed: string[]): TaskError {
  const archive = recipe.sourceArchive?.file ?? '';
  passed.unshift(`${sourceDirSetting} is not set, so ${tool} ${recipe.version} was not built from its source archive ${archive}`);
  return new TaskError(proxyError.message, {
    code: 'TOOL_BUILD_FAILED',
    hint: `export ${sourceDirSetting}=<folder holding ${archive}> (its sha256 is pinned in tools.lock.json), or install ${tool} ${recipe.version} with asdf (asdf install), or unset ${buildFromSourceSetting} to download the official release, then: npm run tools`,
  });
}
