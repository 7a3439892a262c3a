import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/** The GitHub Actions workflows actionlint checks, relative to the project: `.github/workflows/*.yml` and `*.yaml`, sorted. */
export function workflowFiles(projectDir: string): string[] {
  const dir = join('.github', 'workflows');
  if (!existsSync(join(projectDir, dir))) return [];
  return readdirSync(join(projectDir, dir), { withFileTypes: true })
    .filter((e) => e.isFile() && /\.ya?ml$/.test(e.name))
    .map((e) => join(dir, e.name))
    .sort();
}
