import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../../core/errors.js';
import type { Logger } from '../../core/log.js';
import { terraformPlatform } from '../cache.js';
import type { GoBuildResult } from '../go-build.js';
import { offlineFix } from '../tool-settings.js';
import { terraformToolEnv, type Runner } from '../version-check.js';
import { unpackBinary } from './unpack.js';
import { providerPackage } from './urls.js';

export interface ProviderRequest {
  /** The registry release tools.lock.json names (terraformProvider.version), which keys the cache. */
  version: string;
  /** e.g. registry.terraform.io/hashicorp/aws */
  source: string;
  /** `<cache>/download/aws-provider-<version>` */
  dir: string;
  /** The binary's name in `<dir>/bin`. */
  binary: string;
  /** The pinned terraform, provided first. */
  terraform: () => Promise<string>;
  /** TOOLS_DOWNLOAD_TIMEOUT_SECONDS in ms: the bound on the whole mirror run. */
  downloadTimeoutMs: number;
  env: NodeJS.ProcessEnv;
  log: Logger;
  runner: Runner;
  signal: AbortSignal;
}

/**
 * Downloads the provider from its registry with `terraform providers mirror`, which
 * "always consults the origin registry" (internal/command/providers_mirror.go), ignoring
 * any provider_installation in the CLI config, and checks the registry's SHA256SUMS and
 * its signature before placing the package. The operator's own CLI config still applies
 * (host blocks, credentials), and so do HTTPS_PROXY and SSL_CERT_FILE. The binary is then
 * taken out of the package for the tools cache's mirror.
 */
export async function mirrorProvider(request: ProviderRequest): Promise<GoBuildResult> {
  const { version, source, dir } = request;
  const started = performance.now();
  const terraform = await request.terraform();
  const config = join(dir, 'config');
  const mirror = join(dir, 'mirror');
  await Promise.all([rm(config, { recursive: true, force: true }), rm(mirror, { recursive: true, force: true })]);
  await mkdir(config, { recursive: true });
  await writeFile(join(config, 'main.tf'), requiredProvider(source, version));
  try {
    await runMirror(request, terraform, config, mirror);
    const pkg = providerPackage(source, version, terraformPlatform());
    const binary = await unpackBinary('zip', join(mirror, pkg.zip), pkg.member, join(dir, 'bin'), request.binary, request);
    const how = 'downloaded from its registry (terraform providers mirror checked its signature)';
    return { binary, durationMs: Math.round(performance.now() - started), how };
  } finally {
    await Promise.all([rm(config, { recursive: true, force: true }), rm(mirror, { recursive: true, force: true })]);
  }
}

/** A configuration that requires exactly this release, the only input `providers mirror` takes. */
function requiredProvider(source: string, version: string): string {
  const name = source.split('/').pop() ?? source;
  return `terraform {\n  required_providers {\n    ${name} = {\n      source  = "${source}"\n      version = "= ${version}"\n    }\n  }\n}\n`;
}

async function runMirror(request: ProviderRequest, terraform: string, config: string, mirror: string): Promise<void> {
  const timeoutMs = request.downloadTimeoutMs;
  const timeout = AbortSignal.timeout(timeoutMs);
  const args = [`-chdir=${config}`, 'providers', 'mirror', '-no-color', `-platform=${terraformPlatform()}`, mirror];
  request.log.info(`downloading ${request.source} ${request.version} from its registry: terraform ${args.join(' ')}`);
  const run = request.runner({
    command: terraform,
    args,
    env: terraformToolEnv(request.env),
    signal: AbortSignal.any([request.signal, timeout]),
  });
  const result = await run.catch((error: unknown) => {
    if (!timeout.aborted || request.signal.aborted) throw error;
    throw new TaskError(`terraform providers mirror did not finish within ${timeoutMs / 1000}s (TOOLS_DOWNLOAD_TIMEOUT_SECONDS)`, {
      code: 'TOOL_DOWNLOAD_FAILED',
      hint: `on a slow link, raise it: export TOOLS_DOWNLOAD_TIMEOUT_SECONDS=1800; ${offlineFix}`,
    });
  });
  if (result.exitCode === 0) return;
  // terraform frames its diagnostics with ╷ │ ╵; the words are what the message needs.
  const words = result.tail.map((l) => l.replace(/^\s*[│╷╵]\s?/, '').trim()).filter((l) => l !== '');
  const why = result.spawnError ?? words.slice(-6).join('\n  ');
  throw new TaskError(`cannot download ${request.source} ${request.version}: terraform ${args.join(' ')} failed:\n  ${why}`, {
    code: 'TOOL_DOWNLOAD_FAILED',
    hint: `check the registry's answer above (network, proxy, the CLI config in TF_CLI_CONFIG_FILE); ${offlineFix}`,
  });
}
