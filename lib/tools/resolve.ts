import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { TaskContext } from '../core/context.js';
import { TaskError } from '../core/errors.js';
import { ensureFolder } from '../os/file-target.js';
import { cacheLayout, isExecutable, publishBinary, writeCliConfig, type CacheLayout } from './cache.js';
import { probeCache } from './probe-cache.js';
import { botocoreDataDir, provideVenv, type VenvOptions } from './python-venv.js';
import type { ToolSettings } from './tool-settings.js';
import { goTools, pythonTools, readToolsLock, type GoTool, type PythonTool, type ToolsLock } from './tools-lock.js';
import { readToolVersions, type ToolVersions } from './tool-versions.js';
import { binaryProblem, pinnedOnPath, type ProbeOptions } from './binary-check.js';
import { findOnPath, formatDuration, spawnRunner, type Runner } from './version-check.js';

export const toolNames = [...goTools, ...pythonTools] as const;
export type ToolName = (typeof toolNames)[number];
type ToolSource = 'path' | 'cache' | 'built' | 'unavailable';

export interface ToolStatus {
  name: ToolName;
  required: string;
  source: ToolSource;
  /** Why it is unavailable, or how it was provided. */
  detail: string;
  path: string;
  /** Time spent installing, when source is 'built'. */
  durationMs?: number;
  /** Its build was stopped because another tool could not be provided. */
  stopped?: true;
}

/** Where each tool is. Paths of unavailable tools are where they would be; check statuses first. */
export interface ToolPaths {
  terraform: string;
  terragrunt: string;
  tflint: string;
  tflintPluginDir: string;
  actionlint: string;
  checkov: string;
  motoServer: string;
  /** botocore's `data` dir inside the moto venv; '' unless moto is available. */
  botocoreDataDir: string;
  cliConfigFile: string;
  providerMirrorDir: string;
  providerVersion: string;
}

export interface ResolveResult {
  paths: ToolPaths;
  statuses: ToolStatus[];
}

export interface ResolveOptions {
  install: boolean;
  /** Where tools come from and where the cache is, resolved by the task (lib/tools/tool-settings.ts). */
  tools: ToolSettings;
  /** Resolve only these; the others get no status (their paths are still filled in). */
  only?: readonly ToolName[];
}

export interface ResolveDeps {
  /** The process seam: tests record commands through it. */
  runner?: Runner;
}

interface Resolver {
  ctx: TaskContext;
  install: boolean;
  tools: ToolSettings;
  runner: Runner;
  /** Version probes: answered from the probe cache while a binary is unchanged. */
  probe: Runner;
  /** What every child-running helper takes. */
  io: { env: NodeJS.ProcessEnv; log: TaskContext['log']; runner: Runner; signal: AbortSignal };
  /** Aborted when one tool cannot be provided: the other builds stop rather than run on for half an hour. */
  giveUp: AbortController;
  layout: CacheLayout;
  lock: ToolsLock;
  versions: ToolVersions;
  /** Each tool's resolution, started once: the provider download waits on terraform's. */
  started: Map<ToolName, Promise<ToolStatus>>;
}

/** Every status, never throwing for a missing tool, so callers can report all problems at once. */
const toolsCacheUse = {
  what: 'the tools cache',
  fix: 'Point TOOLS_CACHE_DIR at a writable folder (unset, it is devcontainer-ecr-tools under XDG_CACHE_HOME or ~/.cache), then run npm run tools.',
};

export async function resolveTools(ctx: TaskContext, options: ResolveOptions, deps: ResolveDeps = {}): Promise<ResolveResult> {
  const runner = deps.runner ?? spawnRunner;
  const layout = cacheLayout(options.tools.cacheRoot);
  // A cache root that is a file or cannot be written fails here with the fix, not deep in a build.
  if (options.install || existsSync(layout.root)) await ensureFolder(layout.root, toolsCacheUse);
  const giveUp = new AbortController();
  const r: Resolver = {
    ctx,
    install: options.install,
    tools: options.tools,
    runner,
    probe: probeCache(layout.root).wrap(runner),
    io: { env: ctx.env, log: ctx.log, runner, signal: AbortSignal.any([ctx.signal, giveUp.signal]) },
    giveUp,
    layout,
    lock: await readToolsLock(ctx.projectDir),
    versions: await readToolVersions(ctx.projectDir),
    started: new Map(),
  };
  const paths = layoutPaths(r);
  const wanted = toolNames.filter((name) => (options.only ?? toolNames).includes(name));
  // Independent tools are provided side by side (a provider build need not wait for pip).
  const statuses = await Promise.all(wanted.map((name) => provide(r, name, paths)));
  return { paths, statuses };
}

async function provide(r: Resolver, name: ToolName, paths: ToolPaths): Promise<ToolStatus> {
  const status = await resolveOnce(r, name);
  if (status.source === 'unavailable') {
    // Fail fast: the run cannot succeed, so no other build keeps the operator waiting for the news.
    if (r.install && !r.giveUp.signal.aborted) r.giveUp.abort(new Error(`${name} cannot be provided`));
    return status;
  }
  if (name === 'terraform' || name === 'terragrunt') paths[name] = status.path;
  // The mirror is only usable through the CLI config, so it is written with it.
  // Read-only callers (doctor) never write; installs and the tasks (ensureCliConfig) do.
  if (name === 'aws-provider' && r.install) await writeCliConfig(r.layout, r.lock.terraformProvider.source);
  if (name === 'moto') await locateBotocore(r, status, paths);
  return status;
}

/** The mirror is only usable through the CLI config: write it (idempotently) before a terraform run. */
export async function ensureCliConfig(projectDir: string, tools: ToolSettings): Promise<string> {
  return writeCliConfig(cacheLayout(tools.cacheRoot), (await readToolsLock(projectDir)).terraformProvider.source);
}

function layoutPaths(r: Resolver): ToolPaths {
  const { layout, lock } = r;
  return {
    terraform: goToolTarget(r, 'terraform'),
    terragrunt: goToolTarget(r, 'terragrunt'),
    tflint: goToolTarget(r, 'tflint'),
    tflintPluginDir: layout.tflintPluginDir(lock.go['tflint-ruleset-aws'].version),
    actionlint: goToolTarget(r, 'actionlint'),
    checkov: pythonToolPath(r, 'checkov'),
    motoServer: pythonToolPath(r, 'moto'),
    botocoreDataDir: '',
    cliConfigFile: layout.cliConfigFile,
    providerMirrorDir: layout.providerMirrorDir,
    providerVersion: lock.go['aws-provider'].version,
  };
}

/** The version a tool must have: .tool-versions for the pinned ones, tools.lock.json otherwise. */
function requiredVersion(r: Resolver, tool: GoTool): string {
  if (tool === 'terraform' || tool === 'terragrunt') return r.versions[tool];
  // Downloaded, the provider is the registry's release; built, the snapshot the Go proxy serves (tools.lock.json says why).
  if (tool === 'aws-provider' && !r.tools.buildFromSource) return r.lock.terraformProvider.version;
  return r.lock.go[tool].version;
}

const pythonEntryPoints: Record<PythonTool, string> = { checkov: 'checkov', moto: 'moto_server' };

function pythonToolPath(r: Resolver, tool: PythonTool): string {
  return join(r.layout.venvDir(tool, r.lock.python[tool].version), 'bin', pythonEntryPoints[tool]);
}

function goToolTarget(r: Resolver, tool: GoTool): string {
  const recipe = r.lock.go[tool];
  const version = requiredVersion(r, tool);
  if (tool === 'aws-provider') return r.layout.providerBinary(r.lock.terraformProvider.source, version);
  // Where tflint looks for a plugin that .tflint.hcl declares with source and version.
  if (tool === 'tflint-ruleset-aws') return join(r.layout.tflintPluginDir(version), recipe.module, version, recipe.binary);
  return r.layout.binary(tool, version, recipe.binary);
}

function resolveOnce(r: Resolver, name: ToolName): Promise<ToolStatus> {
  const running = r.started.get(name) ?? resolveOne(r, name);
  r.started.set(name, running);
  return running;
}

async function resolveOne(r: Resolver, name: ToolName): Promise<ToolStatus> {
  const isPython = name === 'checkov' || name === 'moto';
  const required = isPython ? r.lock.python[name].version : requiredVersion(r, name);
  const path = isPython ? pythonToolPath(r, name) : goToolTarget(r, name);
  // Why the quick ways (PATH, cache) did not do, kept for the final detail.
  const passed: string[] = [];
  try {
    if (isPython) return await resolvePython(r, name, required);
    if (name === 'terraform' || name === 'terragrunt') {
      const onPath = await pinnedOnPath(name, required, probeOptions(r), passed);
      if (onPath !== undefined) return { name, required, source: 'path', detail: 'already installed (on PATH)', path: onPath };
    }
    return await resolveGoTool(r, name, required, passed);
  } catch (error) {
    if (r.giveUp.signal.aborted && !r.ctx.signal.aborted && isAbort(error)) {
      const why = (r.giveUp.signal.reason as Error).message;
      return { name, required, source: 'unavailable', detail: `not finished: stopped because ${why} (see that line)`, path, stopped: true };
    }
    // Only expected failures become statuses; anything else is a bug and propagates.
    if (!(error instanceof TaskError)) throw error;
    const hint = error.hint === undefined ? '' : `\n  fix: ${error.hint}`;
    return { name, required, source: 'unavailable', detail: [...passed, `${error.message}${hint}`].join('; '), path };
  }
}

function probeOptions(r: Resolver): ProbeOptions {
  return { env: r.ctx.env, runner: r.probe, signal: r.ctx.signal, timeoutMs: r.tools.probeTimeoutMs };
}

function isAbort(error: unknown): boolean {
  return error instanceof Error && error.name === 'AbortError';
}

async function resolveGoTool(r: Resolver, tool: GoTool, required: string, passed: string[]): Promise<ToolStatus> {
  const target = goToolTarget(r, tool);
  const status = (source: ToolSource, detail: string, durationMs?: number): ToolStatus => ({
    name: tool,
    required,
    source,
    detail,
    path: target,
    durationMs,
  });
  if (await isExecutable(target)) {
    const problem = await binaryProblem(tool, target, required, probeOptions(r));
    if (problem === undefined) return status('cache', 'already installed (cached)');
    passed.push(`not the cached one: ${problem}`);
  }
  const recipe = r.lock.go[tool];
  const buildDir = r.layout.buildDir(tool, required);
  const built = join(buildDir, 'bin', recipe.binary);
  // An earlier build (ours, or a by-hand `go install` with GOBIN there) is reused.
  if ((await isExecutable(built)) && (await binaryProblem(tool, built, required, probeOptions(r))) === undefined) {
    await publishBinary(built, target);
    return status('cache', `already installed (cached; linked from ${built})`);
  }
  if (!r.install) return status('unavailable', [...passed, `not installed at ${target}; install it: npm run tools`].join('; '));
  // Loaded only to install: the deploy tasks, which never do, skip the build and release
  // machinery (openpgp among it) at start-up.
  const { installGoTool } = await import('./install-way.js');
  const result = await installGoTool(
    { lock: r.lock, layout: r.layout, projectDir: r.ctx.projectDir, tools: r.tools, io: r.io, terraform: () => terraformFor(r) },
    { tool, required, buildDir, passed },
  );
  await publishBinary(result.binary, target);
  const problem = await binaryProblem(tool, target, required, probeOptions(r));
  if (problem !== undefined)
    throw new TaskError(`built ${tool} but ${problem}`, { code: 'TOOL_BUILD_FAILED', hint: `check ${join(buildDir, 'build.log')}` });
  return status('built', `${result.how ?? 'built'} in ${formatDuration(result.durationMs)}`, result.durationMs);
}

async function terraformFor(r: Resolver): Promise<string> {
  const status = await resolveOnce(r, 'terraform');
  if (status.source !== 'unavailable') return status.path;
  throw new TaskError('cannot download the AWS provider: it is mirrored with the pinned terraform, which is not available (see its line)', {
    code: 'TOOL_DOWNLOAD_FAILED',
    hint: 'fix terraform first, then: npm run tools',
  });
}

function venvOptions(r: Resolver, tool: PythonTool, python: string | undefined): VenvOptions {
  const pin = r.lock.python[tool];
  return { tool, pin, venvDir: r.layout.venvDir(tool, pin.version), python, ...r.io };
}

async function resolvePython(r: Resolver, tool: PythonTool, required: string): Promise<ToolStatus> {
  const outcome = await provideVenv(venvOptions(r, tool, await findOnPath('python3', r.ctx.env.PATH)), r.install);
  return { name: tool, required, path: pythonToolPath(r, tool), ...outcome };
}

/** botocore's data dir comes from the moto venv's python; a failure makes moto unavailable. */
async function locateBotocore(r: Resolver, status: ToolStatus, paths: ToolPaths): Promise<void> {
  try {
    paths.botocoreDataDir = await botocoreDataDir(venvOptions(r, 'moto', undefined));
  } catch (error) {
    if (!(error instanceof TaskError)) throw error;
    status.source = 'unavailable';
    status.detail = `${error.message}\n  fix: ${error.hint ?? 'npm run tools'}`;
  }
}
