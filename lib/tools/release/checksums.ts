import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream/promises';
import { TaskError } from '../../core/errors.js';
import { offlineFix } from '../tool-settings.js';

export async function sha256Of(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), hash);
  return hash.digest('hex');
}

/**
 * The hash a checksums file lists for `name`. All four projects publish `sha256sum`'s
 * format, `<64 hex>  <file name>` per line (GoReleaser's checksums.txt, terragrunt's and
 * HashiCorp's SHA256SUMS); a `*` before the name marks binary mode and changes nothing.
 */
export function listedChecksum(sums: string, name: string, sumsUrl: string): string {
  for (const line of sums.split(/\r?\n/)) {
    const match = /^([0-9a-fA-F]{64}) [ *](.+)$/.exec(line.trim());
    if (match?.[2] === name && match[1] !== undefined) return match[1].toLowerCase();
  }
  throw new TaskError(`${sumsUrl} lists no sha256 for ${name}, so nothing from that release was installed`, {
    code: 'TOOL_DOWNLOAD_UNVERIFIED',
    hint: `check that the release has a ${name} (the URL patterns are in lib/tools/release/urls.ts); ${offlineFix}`,
  });
}

/** Refuses `file` (downloaded from `url`) unless its sha256 is the one `sumsUrl` lists. */
export async function checkChecksum(file: string, expected: string, url: string, sumsUrl: string): Promise<void> {
  const actual = await sha256Of(file);
  if (actual === expected) return;
  throw new TaskError(`refusing ${url}: its sha256 is ${actual}, but ${sumsUrl} lists ${expected}; nothing from it was installed`, {
    code: 'TOOL_DOWNLOAD_TAMPERED',
    hint: `the file was altered or cut short on the way: rerun npm run tools to fetch it again; if it is refused again, do not trust that server, ${offlineFix}`,
  });
}
