import { isAbsolute } from 'node:path';
import { ExitCode, TaskError } from '../core/errors.js';

/**
 * The settings of `npm run tools`. Like TOOLS_CACHE_DIR they are read from the task's
 * environment (the real one, then .env), not from the deploy settings table: they choose
 * where tools come from, never what is deployed.
 */
interface ToolSetting {
  env: string;
  description: string;
  default?: string;
}

export const sourceDirSetting = 'TOOLS_SOURCE_DIR';
export const buildFromSourceSetting = 'TOOLS_BUILD_FROM_SOURCE';
export const hashicorpKeyFileSetting = 'TOOLS_HASHICORP_KEY_FILE';
const probeTimeoutSetting = 'TOOLS_PROBE_TIMEOUT_SECONDS';

/** Every one of them, documented in .env.example (test/unit/docs.test.ts checks it against this list). */
export const toolSettings: readonly ToolSetting[] = [
  {
    env: 'TOOLS_CACHE_DIR',
    description:
      'Where `npm run tools` keeps installed tools, the provider mirror, virtualenvs and the plugin cache (outside the repo; unset: ${XDG_CACHE_HOME:-$HOME/.cache}/devcontainer-ecr-tools)',
  },
  {
    env: sourceDirSetting,
    description:
      'Folder holding the terraform and terragrunt source archives tools.lock.json pins (sha256): set, those two are built from them with Go instead of downloaded, for machines that cannot reach the release sites',
  },
  {
    env: buildFromSourceSetting,
    default: 'false',
    description: `true: build the AWS provider, tflint, its AWS ruleset and actionlint (and terraform and terragrunt unless ${sourceDirSetting} is set) through the Go module proxy instead of downloading the official releases`,
  },
  {
    env: 'TOOLS_DOWNLOAD_TIMEOUT_SECONDS',
    default: '600',
    description:
      'Bound on each download of `npm run tools` (one release file, or the whole terraform providers mirror); behind a proxy, also set NODE_USE_ENV_PROXY=1 so Node uses HTTPS_PROXY',
  },
  {
    env: probeTimeoutSetting,
    default: '30',
    description:
      'Bound on each version probe of a tool binary (`terraform version`, `terragrunt --version`, ...): a binary that does not answer within it is stopped and reported',
  },
  {
    env: 'TOOLS_HASHICORP_RELEASES_URL',
    default: 'https://releases.hashicorp.com',
    description: 'Where terraform releases are downloaded from: HashiCorp, or a mirror with the same paths',
  },
  {
    env: 'TOOLS_GITHUB_URL',
    default: 'https://github.com',
    description:
      'Where the terragrunt, tflint, tflint-ruleset-aws and actionlint releases are downloaded from: GitHub, or a mirror with the same <owner>/<repo>/releases/download/<tag>/<file> paths',
  },
  {
    env: hashicorpKeyFileSetting,
    description:
      "Armored OpenPGP public key trusted to sign terraform's SHA256SUMS (unset: HashiCorp's, committed as lib/tools/release/hashicorp-release-key.asc); for tests and for mirrors that sign with their own key",
  },
];

/** The end of every download failure's fix: the offline ways, named by their settings. */
export const offlineFix = `or, where the release sites cannot be reached, build from source instead: export ${buildFromSourceSetting}=true (and ${sourceDirSetting}=<folder of the terraform and terragrunt source archives>), then: npm run tools`;

/** The settings part of `.env.example` for the tools, in the same form as envExampleSettings(). */
export function toolSettingsExample(): string {
  return toolSettings.map((s) => `# ${s.description}.\n${s.default === undefined ? `# ${s.env}=` : `${s.env}=${s.default}`}\n`).join('\n');
}

/** The value in the environment, else the documented default ('' when there is none). */
function toolSetting(env: NodeJS.ProcessEnv, name: string): string {
  const value = env[name];
  if (value !== undefined && value !== '') return value;
  return toolSettings.find((s) => s.env === name)?.default ?? '';
}

function invalidToolSetting(name: string, value: string, expected: string, example: string): TaskError {
  return new TaskError(`${name} must be ${expected}, got "${value}"`, {
    code: 'CONFIG_INVALID',
    hint: `export ${name}=${example} (or unset it for the default)`,
    exitCode: ExitCode.config,
  });
}

/** TOOLS_BUILD_FROM_SOURCE: anything but true or false is a mistake, not a no. */
export function buildFromSource(env: NodeJS.ProcessEnv): boolean {
  const value = toolSetting(env, buildFromSourceSetting);
  if (value === 'true' || value === 'false') return value === 'true';
  throw invalidToolSetting(buildFromSourceSetting, value, 'true or false', 'true');
}

/** TOOLS_DOWNLOAD_TIMEOUT_SECONDS in ms: whole seconds, at least 1, at most a day. */
export function downloadTimeoutMs(env: NodeJS.ProcessEnv): number {
  return secondsSetting(env, 'TOOLS_DOWNLOAD_TIMEOUT_SECONDS');
}

/** TOOLS_PROBE_TIMEOUT_SECONDS in ms, the same rules. */
export function probeTimeoutMs(env: NodeJS.ProcessEnv): number {
  return secondsSetting(env, probeTimeoutSetting);
}

function secondsSetting(env: NodeJS.ProcessEnv, name: string): number {
  const value = toolSetting(env, name);
  const seconds = /^[1-9][0-9]{0,4}$/.test(value) ? Number(value) : 0;
  if (seconds < 1 || seconds > 86_400) throw invalidToolSetting(name, value, 'a whole number of seconds from 1 to 86400', '1800');
  return seconds * 1000;
}

export interface ReleaseBases {
  hashicorpUrl: string;
  githubUrl: string;
}

/** The two download bases, https only: the GitHub tools' checksums come from the same server as the files they vouch for. */
export function releaseBases(env: NodeJS.ProcessEnv): ReleaseBases {
  return { hashicorpUrl: httpsBase(env, 'TOOLS_HASHICORP_RELEASES_URL'), githubUrl: httpsBase(env, 'TOOLS_GITHUB_URL') };
}

function httpsBase(env: NodeJS.ProcessEnv, name: string): string {
  const value = toolSetting(env, name);
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  if (url?.protocol !== 'https:' || url.search !== '' || url.hash !== '') {
    throw invalidToolSetting(name, value, 'an https:// URL without query or fragment', 'https://mirror.example.com/base');
  }
  return value.replace(/\/+$/, '');
}

/** TOOLS_HASHICORP_KEY_FILE: an absolute path, or '' for HashiCorp's committed key. */
export function hashicorpKeySetting(env: NodeJS.ProcessEnv): string {
  const value = toolSetting(env, hashicorpKeyFileSetting);
  if (value !== '' && !isAbsolute(value))
    throw invalidToolSetting(hashicorpKeyFileSetting, value, 'an absolute path', '/absolute/path/key.asc');
  return value;
}

/** Reads every setting above, so that a bad value stops `npm run tools` before anything is installed, with all problems at once. */
export function checkToolSettings(env: NodeJS.ProcessEnv): void {
  const problems: TaskError[] = [];
  for (const read of [buildFromSource, downloadTimeoutMs, probeTimeoutMs, releaseBases, hashicorpKeySetting]) {
    try {
      read(env);
    } catch (error) {
      if (!(error instanceof TaskError)) throw error;
      problems.push(error);
    }
  }
  if (problems.length === 0) return;
  throw new TaskError(problems.map((p) => p.message).join('\n'), {
    code: 'CONFIG_INVALID',
    hint: problems.map((p) => p.hint).join('; '),
    exitCode: ExitCode.config,
  });
}
