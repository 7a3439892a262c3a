import { chmod, copyFile, mkdir, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { TaskError } from '../../core/errors.js';
import { findOnPath, type Runner } from '../version-check.js';

export interface UnpackIo {
  env: NodeJS.ProcessEnv;
  runner: Runner;
  signal: AbortSignal;
}

/**
 * The system `unzip` and `tar`, run through the process seam like every other child of
 * lib/tools: they are what HashiCorp's and tflint's own install steps use, tar already
 * unpacks the source archives, and the archives reach them only after their sha256 has
 * been checked. Only the named member is extracted, so nothing else in an archive can
 * land anywhere.
 */
const extractors = {
  zip: { command: 'unzip', args: (archive: string, member: string, dir: string) => ['-o', '-q', archive, member, '-d', dir] },
  'tar.gz': { command: 'tar', args: (archive: string, member: string, dir: string) => ['-xzf', archive, '-C', dir, member] },
};

/** Puts the binary `member` of `archive` at `<dir>/<name>`, executable, and returns that path. */
export async function unpackBinary(
  format: 'zip' | 'tar.gz' | 'binary',
  archive: string,
  member: string,
  dir: string,
  name: string,
  io: UnpackIo,
): Promise<string> {
  const target = join(dir, name);
  await mkdir(dir, { recursive: true });
  await rm(target, { force: true });
  if (format === 'binary') {
    await copyFile(archive, target);
  } else {
    await extract(format, archive, member, dir, io);
    if (member !== name) await rename(join(dir, member), target);
  }
  await chmod(target, 0o755);
  return target;
}

async function extract(format: 'zip' | 'tar.gz', archive: string, member: string, dir: string, io: UnpackIo): Promise<void> {
  const tool = extractors[format];
  const command = await findOnPath(tool.command, io.env.PATH);
  if (command === undefined) {
    throw new TaskError(`cannot unpack ${archive}: ${tool.command} is not on PATH`, {
      code: 'TOOL_DOWNLOAD_FAILED',
      hint: `install ${tool.command} (Debian: apt-get install ${tool.command}), then rerun: npm run tools`,
    });
  }
  const result = await io.runner({ command, args: tool.args(archive, member, dir), env: io.env, signal: io.signal });
  if (result.exitCode === 0) return;
  throw new TaskError(`cannot take ${member} out of ${archive}: ${result.spawnError ?? result.tail.slice(-3).join(' | ')}`, {
    code: 'TOOL_DOWNLOAD_FAILED',
    hint: `list what it holds (${format === 'zip' ? `unzip -l ${archive}` : `tar -tzf ${archive}`}); the binary's name is in lib/tools/release/urls.ts`,
  });
}
