import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../../core/log.js';
import { terraformPlatform } from '../cache.js';
import type { GoBuildResult } from '../go-build.js';
import type { ToolSettings } from '../tool-settings.js';
import type { Runner } from '../version-check.js';
import { checkChecksum, listedChecksum } from './checksums.js';
import { download, type DownloadBounds } from './download.js';
import { readTrustedKey, verifySignature, type TrustedKey } from './signature.js';
import { unpackBinary } from './unpack.js';
import { releasePlan, type ReleasePlan, type ReleaseTool } from './urls.js';

export interface ReleaseRequest {
  tool: ReleaseTool;
  version: string;
  /** `<cache>/download/<tool>-<version>`: files/ while verifying, bin/ after. */
  dir: string;
  /** The binary's name in bin/. */
  binary: string;
  projectDir: string;
  /** The download bound, the bases and the trusted key. */
  tools: Pick<ToolSettings, 'downloadTimeoutMs' | 'releaseBases' | 'hashicorpKeyFile'>;
  env: NodeJS.ProcessEnv;
  log: Logger;
  runner: Runner;
  signal: AbortSignal;
}

/**
 * Installs the official release of a tool as tfenv and mise do: the checksums file first
 * (and, for terraform, HashiCorp's signature over it, checked with the trusted key), then
 * the archive, whose sha256 must be the listed one before anything is taken out of it.
 * The downloaded files are removed either way; only the binary stays, in `<dir>/bin`.
 */
export async function installRelease(request: ReleaseRequest): Promise<GoBuildResult> {
  const started = performance.now();
  const { tools } = request;
  const bounds = { timeoutMs: tools.downloadTimeoutMs, signal: request.signal };
  const trusted = request.tool === 'terraform' ? await readTrustedKey(tools.hashicorpKeyFile, request.projectDir) : undefined;
  const plan = releasePlan(request.tool, request.version, terraformPlatform(), tools.releaseBases, trusted?.shortId ?? '');
  const files = join(request.dir, 'files');
  await rm(files, { recursive: true, force: true });
  try {
    const sums = await verifiedSums(plan, files, bounds, trusted);
    const expected = listedChecksum(sums, plan.archive.name, plan.sums.url);
    const archive = join(files, plan.archive.name);
    request.log.info(`downloading ${request.tool} ${request.version}: ${plan.archive.url}`);
    await download(plan.archive.url, archive, bounds);
    await checkChecksum(archive, expected, plan.archive.url, plan.sums.url);
    const binary = await unpackBinary(plan.format, archive, plan.member, join(request.dir, 'bin'), request.binary, request);
    const signedBy = trusted === undefined ? '' : `, ${plan.sums.name} signed by ${trusted.fingerprint}`;
    request.log.info(`${request.tool} ${request.version}: sha256 ${expected} as ${plan.sums.name} lists${signedBy}`);
    const how = trusted === undefined ? 'downloaded, checksum verified,' : 'downloaded, signature and checksum verified,';
    return { binary, durationMs: Math.round(performance.now() - started), how };
  } finally {
    await rm(files, { recursive: true, force: true });
  }
}

/** The checksums file's text, after its signature (where the release has one) has been checked. */
async function verifiedSums(plan: ReleasePlan, files: string, bounds: DownloadBounds, trusted: TrustedKey | undefined): Promise<string> {
  const sumsFile = join(files, plan.sums.name);
  await download(plan.sums.url, sumsFile, bounds);
  const sums = await readFile(sumsFile);
  if (plan.signature === undefined) return sums.toString('utf8');
  if (trusted === undefined) throw new Error(`bug: ${plan.sums.url} is signed, but no key was read to check it`);
  const signatureFile = join(files, plan.signature.name);
  await download(plan.signature.url, signatureFile, bounds);
  await verifySignature(trusted, sums, await readFile(signatureFile), { signed: plan.sums.url, signature: plan.signature.url });
  return sums.toString('utf8');
}
