import type { Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { ExitCode, TaskError } from '../core/errors.js';

/** The shared files the AWS SDK reads, with the setting that moves each. */
function sharedFiles(env: NodeJS.ProcessEnv): { setting: string; file: string; usual: string }[] {
  const home = env.HOME !== undefined && env.HOME !== '' ? env.HOME : homedir();
  return [
    { setting: 'AWS_CONFIG_FILE', file: env.AWS_CONFIG_FILE ?? join(home, '.aws', 'config'), usual: '~/.aws/config' },
    {
      setting: 'AWS_SHARED_CREDENTIALS_FILE',
      file: env.AWS_SHARED_CREDENTIALS_FILE ?? join(home, '.aws', 'credentials'),
      usual: '~/.aws/credentials',
    },
  ];
}

function kindOf(info: Stats): string {
  if (info.isFIFO()) return 'a named pipe (FIFO)';
  if (info.isDirectory()) return 'a directory';
  if (info.isSocket()) return 'a socket';
  return 'a device';
}

/**
 * Refuses shared AWS files that are not regular files, before the SDK reads them. A FIFO
 * with no writer blocks the read forever, and that read cannot be abandoned: neither the
 * AWS timeout nor a signal would end the task, and the pending read keeps the process alive.
 * A missing file is fine (the SDK reads none then).
 */
export async function assertSharedFilesReadable(env: NodeJS.ProcessEnv): Promise<void> {
  for (const { setting, file, usual } of sharedFiles(env)) {
    let info: Stats;
    try {
      info = await stat(file);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT' || code === 'ENOTDIR') continue;
      throw error;
    }
    if (info.isFile()) continue;
    throw new TaskError(`${file} (${setting}) is ${kindOf(info)}, not a file: the AWS SDK would wait on it forever.`, {
      code: 'CONFIG_INVALID',
      hint: `Point ${setting} at your AWS ${setting === 'AWS_CONFIG_FILE' ? 'config' : 'credentials'} file, or unset it for ${usual}.`,
      exitCode: ExitCode.config,
    });
  }
}
