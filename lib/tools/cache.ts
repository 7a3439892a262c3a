import { access, constants, link, mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join } from 'node:path';
import { ExitCode, TaskError } from '../core/errors.js';

/**
 * Where built and installed tools live: outside the repo, keyed by tool and version,
 * so a fresh clone (CI) on the same machine reuses them and a version bump never
 * picks up a stale binary.
 *
 *   <root>/bin/<tool>/<ver>/<tool>                      terraform, terragrunt, tflint, actionlint
 *   <root>/tflint-plugins/aws-<ver>/                    TFLINT_PLUGIN_DIR, holding
 *       github.com/terraform-linters/tflint-ruleset-aws/<ver>/tflint-ruleset-aws
 *   <root>/provider-mirror/<source>/<ver>/linux_amd64/terraform-provider-aws_v<ver>
 *   <root>/terraformrc                                  TF_CLI_CONFIG_FILE
 *   <root>/venv/<tool>-<ver>/                           checkov, moto
 *   <root>/build/<tool>-<ver>/                          Go wrapper modules, bin/, build.log
 *   <root>/download/<tool>-<ver>/                       official releases: bin/ (files/ only while verifying)
 */
export interface CacheLayout {
  root: string;
  binary(tool: string, version: string, name: string): string;
  tflintPluginDir(rulesetVersion: string): string;
  providerMirrorDir: string;
  providerBinary(source: string, version: string): string;
  cliConfigFile: string;
  venvDir(tool: string, version: string): string;
  buildDir(tool: string, version: string): string;
  downloadDir(tool: string, version: string): string;
}

/**
 * `TOOLS_CACHE_DIR` (validated by the settings table), else
 * `${XDG_CACHE_HOME:-$HOME/.cache}/devcontainer-ecr-tools`.
 */
export function toolsCacheRoot(explicit: string | undefined, env: NodeJS.ProcessEnv): string {
  if (explicit !== undefined) return explicit;
  const xdg = env.XDG_CACHE_HOME;
  if (xdg !== undefined && xdg !== '') return join(absolute('XDG_CACHE_HOME', xdg), 'devcontainer-ecr-tools');
  const home = env.HOME;
  if (home === undefined || home === '') {
    throw new TaskError('cannot place the tools cache: TOOLS_CACHE_DIR, XDG_CACHE_HOME and HOME are all unset', {
      code: 'CONFIG_INVALID',
      hint: 'export TOOLS_CACHE_DIR=/absolute/path/for/tools',
      exitCode: ExitCode.config,
    });
  }
  return join(absolute('HOME', home), '.cache', 'devcontainer-ecr-tools');
}

function absolute(name: string, value: string): string {
  if (!isAbsolute(value)) {
    throw new TaskError(`${name} must be an absolute path, got "${value}"`, {
      code: 'CONFIG_INVALID',
      hint: `export ${name}=/absolute/path`,
      exitCode: ExitCode.config,
    });
  }
  return value;
}

/** `<os>_<arch>` as Terraform and the release file names spell it; our tools are installed for this platform only. */
export function terraformPlatform(): string {
  const arch = process.arch === 'x64' ? 'amd64' : process.arch;
  return `${process.platform}_${arch}`;
}

export function cacheLayout(root: string): CacheLayout {
  const providerMirrorDir = join(root, 'provider-mirror');
  return {
    root,
    binary: (tool, version, name) => join(root, 'bin', tool, version, name),
    tflintPluginDir: (rulesetVersion) => join(root, 'tflint-plugins', `aws-${rulesetVersion}`),
    providerMirrorDir,
    providerBinary: (source, version) => {
      const type = source.split('/').pop() ?? source;
      return join(providerMirrorDir, source, version, terraformPlatform(), `terraform-provider-${type}_v${version}`);
    },
    cliConfigFile: join(root, 'terraformrc'),
    venvDir: (tool, version) => join(root, 'venv', `${tool}-${version}`),
    buildDir: (tool, version) => join(root, 'build', `${tool}-${version}`),
    downloadDir: (tool, version) => join(root, 'download', `${tool}-${version}`),
  };
}

/**
 * The CLI config (TF_CLI_CONFIG_FILE) that makes Terraform install the provider from
 * our mirror only. No `direct {}` block: where the mirror lacks it, init must fail
 * rather than reach for a registry. The plugin cache stays out of it on purpose: the
 * tasks set TF_PLUGIN_CACHE_DIR per run.
 */
export function cliConfigContent(providerMirrorDir: string, providerSource: string): string {
  return [
    'provider_installation {',
    '  filesystem_mirror {',
    `    path    = ${JSON.stringify(providerMirrorDir)}`,
    `    include = [${JSON.stringify(providerSource)}]`,
    '  }',
    '}',
    '',
  ].join('\n');
}

export async function writeCliConfig(layout: CacheLayout, providerSource: string): Promise<string> {
  await writeAtomically(layout.cliConfigFile, cliConfigContent(layout.providerMirrorDir, providerSource));
  return layout.cliConfigFile;
}

/** Writes through a temp file and rename so a reader never sees half a file. */
export async function writeAtomically(file: string, content: string): Promise<void> {
  await mkdir(dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, content, { mode: 0o644 });
  await rename(temp, file);
}

export async function isExecutable(file: string): Promise<boolean> {
  try {
    await access(file, constants.X_OK);
    return true;
  } catch (error) {
    // EACCES: present but not executable, which is as unusable as missing.
    if (isMissing(error) || errnoCode(error) === 'EACCES') return false;
    throw error;
  }
}

export function isMissing(error: unknown): boolean {
  const code = errnoCode(error);
  return code === 'ENOENT' || code === 'ENOTDIR';
}

function errnoCode(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Puts a build output at its cached path with a hard link: the provider binary is
 * about 1 GB, so a copy would double the disk use, and a link keeps the build dir
 * intact for whoever built it. Both live under the cache root, so one filesystem.
 */
export async function publishBinary(builtFile: string, target: string): Promise<void> {
  await mkdir(dirname(target), { recursive: true });
  await rm(target, { force: true });
  try {
    await link(builtFile, target);
  } catch (error) {
    throw new TaskError(`cannot link ${builtFile} to ${target}: ${(error as Error).message}`, {
      code: 'TOOLS_CACHE',
      hint: `keep the whole tools cache on one filesystem, or run: ln ${builtFile} ${target}`,
      cause: error,
    });
  }
}
