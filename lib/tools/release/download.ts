import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { TaskError } from '../../core/errors.js';
import { offlineFix } from '../tool-settings.js';

export interface DownloadBounds {
  /** TOOLS_DOWNLOAD_TIMEOUT_SECONDS in ms: one bound for the whole file, body included. */
  timeoutMs: number;
  /** The run's signal: Ctrl-C, or another tool that cannot be provided. */
  signal: AbortSignal;
}

/**
 * Fetches `url` into `file`, through `<file>.partial` so that a cut download never
 * looks whole. Every failure names the URL and what happened (HTTP status, network
 * error, time-out); a stop asked for by the run stays an AbortError, so the resolver
 * reports it as the stop it is.
 */
export async function download(url: string, file: string, bounds: DownloadBounds): Promise<void> {
  const timeout = AbortSignal.timeout(bounds.timeoutMs);
  const signal = AbortSignal.any([bounds.signal, timeout]);
  const partial = `${file}.partial`;
  await mkdir(dirname(file), { recursive: true });
  try {
    const response = await fetch(url, { signal, redirect: 'follow' });
    await refuseAnswer(url, response);
    await writeFile(partial, response.body ?? new Uint8Array(), { signal });
    await rename(partial, file);
  } catch (error) {
    await rm(partial, { force: true });
    throw downloadError(url, error, bounds, timeout);
  }
}

/** Only a 2xx over the scheme asked for counts: a redirect from https to http would drop the transport's protection. */
async function refuseAnswer(url: string, response: Response): Promise<void> {
  const downgraded = new URL(response.url).protocol !== new URL(url).protocol;
  if (response.ok && !downgraded) return;
  await response.body?.cancel();
  if (downgraded) {
    throw new TaskError(`cannot download ${url}: it redirects to ${response.url}, which is not ${new URL(url).protocol}`, {
      code: 'TOOL_DOWNLOAD_FAILED',
      hint: `point the download setting at a server that answers over https; ${offlineFix}`,
    });
  }
  const status = `HTTP ${response.status}${response.statusText === '' ? '' : ` ${response.statusText}`}`;
  const missing = response.status === 404 || response.status === 410;
  throw new TaskError(`cannot download ${url}: the server answered ${status}`, {
    code: 'TOOL_DOWNLOAD_FAILED',
    hint: missing
      ? `check the pin in .tool-versions or tools.lock.json and the URL patterns in lib/tools/release/urls.ts; ${offlineFix}`
      : `rerun npm run tools later; ${offlineFix}`,
  });
}

function downloadError(url: string, error: unknown, bounds: DownloadBounds, timeout: AbortSignal): unknown {
  if (error instanceof TaskError) return error;
  if (bounds.signal.aborted) return new DOMException(`the download of ${url} was stopped`, 'AbortError');
  if (timeout.aborted) {
    return new TaskError(`cannot download ${url}: not finished within ${bounds.timeoutMs / 1000}s (TOOLS_DOWNLOAD_TIMEOUT_SECONDS)`, {
      code: 'TOOL_DOWNLOAD_FAILED',
      hint: `on a slow link, raise it: export TOOLS_DOWNLOAD_TIMEOUT_SECONDS=1800; ${offlineFix}`,
    });
  }
  // fetch says only "fetch failed"; the cause holds the reason (ECONNREFUSED, ENOTFOUND, a certificate error).
  const cause = (error as { cause?: { code?: unknown; message?: unknown } }).cause;
  const message = typeof cause?.message === 'string' ? cause.message : String((error as Error).message);
  const code = typeof cause?.code === 'string' && !message.includes(cause.code) ? `${cause.code}: ` : '';
  return new TaskError(`cannot download ${url}: ${code}${message}`, {
    code: 'TOOL_DOWNLOAD_FAILED',
    hint: `check the network, a proxy (HTTPS_PROXY with NODE_USE_ENV_PROXY=1) and the trusted certificates (NODE_EXTRA_CA_CERTS); ${offlineFix}`,
    cause: error,
  });
}
