import { createWriteStream, type WriteStream } from 'node:fs';
import { mkdir, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, TaskError } from '../core/errors.js';
import type { Logger } from '../core/log.js';
import { listProcesses, runs } from '../os/processes.js';
import { writeAtomically } from './cache.js';
import type { GoRecipe } from './tools-lock.js';
import { findOnPath, pickEnv, type RunResult, type Runner } from './version-check.js';

export interface GoBuildOptions {
  /** Status name, e.g. `aws-provider`; also names the build dir. */
  tool: string;
  recipe: GoRecipe;
  buildDir: string;
  go: string;
  env: NodeJS.ProcessEnv;
  log: Logger;
  runner: Runner;
  signal?: AbortSignal;
}

export interface GoBuildResult {
  /** `<buildDir>/bin/<binary>`, complete (written under another name, then renamed). */
  binary: string;
  durationMs: number;
  /** How it was installed, for the status line (unset: built). */
  how?: string;
}

/**
 * What the Go command may see: where its caches and proxy are, the network proxy and
 * TLS roots. GOFLAGS stays out on purpose: a user's -mod or -tags would change what
 * gets built, and the flags that matter are passed explicitly.
 */
const goEnvNames = [
  ...['PATH', 'HOME', 'USER', 'TMPDIR', 'LANG', 'LC_ALL', 'SSL_CERT_FILE', 'SSL_CERT_DIR'],
  ...['HTTP_PROXY', 'HTTPS_PROXY', 'NO_PROXY', 'http_proxy', 'https_proxy', 'no_proxy'],
  ...['GOPATH', 'GOCACHE', 'GOMODCACHE', 'GOPROXY', 'GONOPROXY', 'GOPRIVATE', 'GONOSUMDB', 'GOSUMDB', 'GOINSECURE', 'GOTOOLCHAIN', 'GOENV'],
];

function goBuildEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  // CGO off: static binaries like the upstream releases, and no C toolchain needed.
  return { ...pickEnv(env, goEnvNames), CGO_ENABLED: '0' };
}

export function expandLdflags(recipe: GoRecipe): string {
  return recipe.ldflags.replaceAll('{version}', recipe.version);
}

/**
 * The throwaway module: it requires the tool's module and repeats the replace lines
 * that keep `go install mod@ver` from working. The `tool` line keeps `go mod tidy`
 * from dropping the requirement, since nothing here imports it.
 */
function wrapperGoMod(recipe: GoRecipe, moduleName: string): string {
  const lines = [
    `module ${moduleName}`,
    '',
    `go ${recipe.goVersion}`,
    '',
    `tool ${recipe.package}`,
    '',
    `require ${recipe.module} ${recipe.moduleVersion}`,
    '',
  ];
  for (const replace of recipe.replace) lines.push(`replace ${replace}`);
  return `${lines.join('\n')}\n`;
}

/**
 * The proxy's refusals in go's output, grouped by answer:
 * `403 Forbidden (This module version is not available.): a@v1, b@v2`.
 */
function proxyRefusals(lines: readonly string[]): string[] {
  const byAnswer = new Map<string, Set<string>>();
  lines.forEach((line, i) => {
    const match = /(\S+@\S+): reading \S+: (\d{3} [A-Za-z ]+?)\s*$/.exec(line);
    if (match === null) return;
    const response = /^\s*server response: (.*)$/.exec(lines[i + 1] ?? '')?.[1];
    const answer = `${match[2]}${response === undefined ? '' : ` (${response.trim()})`}`;
    byAnswer.set(answer, (byAnswer.get(answer) ?? new Set<string>()).add(match[1] ?? ''));
  });
  return [...byAnswer].map(([answer, modules]) => `${answer}: ${[...modules].join(', ')}`);
}

/**
 * Pid and command line of a process already building this recipe: a `go` whose
 * arguments name `module@moduleVersion` (a `go install`) or whose working directory
 * is our build dir or below it (an extracted source tree). Two builds of the same tool
 * would only fight over CPU and memory.
 */
async function findRunningBuild(recipe: GoRecipe, buildDir: string): Promise<string | undefined> {
  const wanted = `${recipe.module}@${recipe.moduleVersion}`;
  const inBuildDir = (cwd: string | undefined): boolean => cwd !== undefined && (cwd === buildDir || cwd.startsWith(`${buildDir}/`));
  const twin = (await listProcesses()).find((p) => p.argv.includes(wanted) || (runs(p, 'go') && inBuildDir(p.cwd)));
  return twin === undefined ? undefined : `pid ${twin.pid}: ${twin.argv.join(' ')}`;
}

export type BuildRequest = Omit<GoBuildOptions, 'go'> & { required: string };

/** Checks that a build can start (recipe matches the pin, no twin running, go present), then builds. */
export async function buildGoTool(request: BuildRequest): Promise<GoBuildResult> {
  const { tool, recipe, required, buildDir } = request;
  if (recipe.version !== required) {
    throw new TaskError(`tools.lock.json has a ${tool} recipe for ${recipe.version}, but .tool-versions pins ${required}`, {
      code: 'CONFIG_INVALID',
      hint: `write the ${required} recipe (module version, replace lines) into go.${tool} of tools.lock.json`,
      exitCode: ExitCode.config,
    });
  }
  const running = await findRunningBuild(recipe, buildDir);
  if (running !== undefined) {
    throw new TaskError(`a build of ${tool} ${required} is already running (${running})`, {
      code: 'TOOL_BUILD_RUNNING',
      hint: 'wait for that process to exit, then rerun: npm run tools',
    });
  }
  const go = await findOnPath('go', request.env.PATH);
  if (go === undefined) {
    throw new TaskError(`cannot build ${tool}: go is not on PATH`, {
      code: 'TOOL_BUILD_FAILED',
      hint: `install Go >= ${recipe.goVersion}, put it on PATH, then rerun: npm run tools`,
    });
  }
  request.log.info(`building ${tool} ${required} from ${recipe.module}@${recipe.moduleVersion} in ${buildDir}`);
  return goBuild({ ...request, go });
}

/** Builds `recipe` in `<buildDir>`: write go.mod, `go mod tidy`, `go build`. */
async function goBuild(options: GoBuildOptions): Promise<GoBuildResult> {
  const { recipe, buildDir, tool } = options;
  const binDir = join(buildDir, 'bin');
  await mkdir(binDir, { recursive: true });
  await writeAtomically(join(buildDir, 'go.mod'), wrapperGoMod(recipe, `wrapper/${tool}`));
  const logFile = createWriteStream(join(buildDir, 'build.log'), { flags: 'w' });
  const partial = join(binDir, `${recipe.binary}.partial`);
  try {
    const tidy = await runGoStep(options, logFile, ['mod', 'tidy']);
    const args = ['build', '-v', '-trimpath', `-ldflags=${expandLdflags(recipe)}`, '-o', partial, recipe.package];
    const build = await runGoStep(options, logFile, args);
    const binary = join(binDir, recipe.binary);
    await rename(partial, binary);
    return { binary, durationMs: tidy.durationMs + build.durationMs };
  } finally {
    await new Promise<void>((resolve) => logFile.end(resolve));
  }
}

/** A `go` command in the build dir (or `workDir`), its output in build.log and as progress. */
export async function runGoStep(
  options: GoBuildOptions,
  logFile: WriteStream,
  args: string[],
  workDir = options.buildDir,
): Promise<RunResult> {
  const { tool, recipe, log } = options;
  const lines: string[] = [];
  const counts = { downloaded: 0, compiled: 0 };
  const onLine = (line: string): void => {
    logFile.write(`${line}\n`);
    lines.push(line);
    // `go: downloading m v` while fetching modules, one package path per line under build -v.
    const kind = line.startsWith('go: downloading ') ? 'downloaded' : /^[\w.-]+(\/[\w.~+-]+)*$/.test(line) ? 'compiled' : undefined;
    if (kind === undefined) return;
    counts[kind] += 1;
    if (counts[kind] % 25 === 1) {
      const phase = kind === 'downloaded' ? 'downloading' : 'compiling';
      log.progress(`${tool} ${recipe.version}: ${phase} (${counts[kind]}) ${line.replace('go: downloading ', '')}`);
    }
  };
  logFile.write(`$ go ${args.join(' ')}\n`);
  const result = await options.runner({
    command: options.go,
    args,
    cwd: workDir,
    env: goBuildEnv(options.env),
    onLine,
    signal: options.signal,
  });
  log.debug(
    `${tool}: go ${args[0]} ${args[1] ?? ''} took ${Math.round(result.durationMs / 1000)}s (${counts.downloaded} module(s) downloaded, ${counts.compiled} package(s) compiled)`,
  );
  if (result.exitCode === 0) return result;
  throw buildError(options, args, result, lines, workDir);
}

function buildError(options: GoBuildOptions, args: string[], result: RunResult, lines: string[], workDir: string): TaskError {
  const { tool, recipe, buildDir } = options;
  const refusals = proxyRefusals(lines);
  const what = result.spawnError ?? `exited ${String(result.exitCode)}`;
  const summary =
    refusals.length > 0
      ? `the Go module proxy refused modules that ${recipe.module}@${recipe.moduleVersion} needs, answering ${refusals.join('; ')}`
      : `go ${args.slice(0, 2).join(' ')} ${what}`;
  // A refusal is already summarised in one line; other failures need go's own last words.
  const shown = refusals.length > 0 ? [] : result.tail.slice(-15);
  const message = [
    `cannot build ${tool} ${recipe.version}: ${summary}`,
    `go output: ${join(buildDir, 'build.log')}`,
    ...shown.map((l) => `  ${l}`),
  ].join('\n');
  const hint =
    refusals.length > 0
      ? `this machine's Go module proxy does not serve those modules; install ${tool} ${recipe.version} another way (asdf install) or rerun where the proxy serves them: npm run tools`
      : `fix the cause above, then rerun: cd ${workDir} && go ${args.join(' ')}  (or: npm run tools)`;
  return new TaskError(message, { code: 'TOOL_BUILD_FAILED', hint });
}
