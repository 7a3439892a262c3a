import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ExitCode, TaskError } from '../core/errors.js';

/** The tools `.tool-versions` must pin for the tasks to run. */
const pinnedTools = ['terraform', 'terragrunt'] as const;
type PinnedTool = (typeof pinnedTools)[number];
export type ToolVersions = Record<PinnedTool, string> & Record<string, string>;

/** Exact release versions only: asdf's `ref:`, `path:` and `system` would defeat the pin. */
const exactVersion = /^\d+\.\d+\.\d+$/;
const toolName = /^[a-z0-9][a-z0-9_-]*$/;

export function configError(message: string, hint: string): TaskError {
  return new TaskError(message, { code: 'TOOL_VERSIONS_INVALID', hint, exitCode: ExitCode.config });
}

/**
 * Parses asdf's `.tool-versions` text (`<tool> <version>` per line, `#` comments).
 * Every tool in `required` must be present with an exact x.y.z version.
 */
export function parseToolVersions(text: string, file: string, required: readonly string[] = pinnedTools): ToolVersions {
  const versions: Record<string, string> = {};
  text.split(/\r?\n/).forEach((raw, index) => {
    const line = raw.replace(/#.*$/, '').trim();
    if (line === '') return;
    const [name, version, ...rest] = line.split(/\s+/);
    const where = `${file}:${index + 1}`;
    if (name === undefined || version === undefined || !toolName.test(name)) {
      throw configError(`${where}: expected "<tool> <version>", got "${raw.trim()}"`, `edit ${file}`);
    }
    if (rest.length > 0) {
      // asdf treats extra versions as fallbacks; the pin must name exactly one.
      throw configError(
        `${where}: ${name} lists several versions (${version} ${rest.join(' ')})`,
        `keep one version on that line of ${file}`,
      );
    }
    if (name in versions) {
      throw configError(`${where}: ${name} is listed twice`, `remove one of the ${name} lines from ${file}`);
    }
    versions[name] = version;
  });
  for (const name of required) {
    const version = versions[name];
    if (version === undefined) {
      throw configError(`${file} has no "${name}" entry`, `add a line "${name} <version>" to ${file}`);
    }
    if (!exactVersion.test(version)) {
      throw configError(
        `${file}: ${name} "${version}" is not an exact x.y.z version`,
        `pin an exact release, e.g. "${name} 1.2.3", in ${file}`,
      );
    }
  }
  return versions as ToolVersions;
}

export async function readToolVersions(projectDir: string, required: readonly string[] = pinnedTools): Promise<ToolVersions> {
  const file = join(projectDir, '.tool-versions');
  return parseToolVersions(await readProjectFile(file), file, required);
}

/** A file of the project the tools read (.tool-versions, tools.lock.json); a missing one is bad input with the fix. */
export async function readProjectFile(file: string): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw new TaskError(`cannot read ${file}: ${(error as Error).message}`, {
      code: 'TOOL_VERSIONS_INVALID',
      hint: `restore it: git checkout -- ${file}`,
      exitCode: ExitCode.config,
      cause: error,
    });
  }
}
