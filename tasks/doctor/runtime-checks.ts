import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fail, pass, type Check } from './check.js';
import * as v from 'valibot';
import { parseJson } from '../../lib/core/outside-data.js';

const packageJson = v.object({
  engines: v.optional(v.object({ node: v.optional(v.string()) })),
  dependencies: v.optional(v.record(v.string(), v.string())),
});

/** `>=26.10.0` style ranges only: that is the form package.json uses. */
export function satisfiesMinimum(version: string, range: string): boolean {
  const wanted = /^>=\s*(\d+)\.(\d+)\.(\d+)$/.exec(range.trim());
  const have = /^v?(\d+)\.(\d+)\.(\d+)/.exec(version);
  if (!wanted || !have) return false;
  for (let i = 1; i <= 3; i += 1) {
    const diff = Number(have[i]) - Number(wanted[i]);
    if (diff !== 0) return diff > 0;
  }
  return true;
}

export function runtimeChecks(projectDir: string, nodeVersion: string): Check[] {
  const file = join(projectDir, 'package.json');
  const pkg = async (): Promise<v.InferOutput<typeof packageJson>> =>
    parseJson(await readFile(file, 'utf8'), packageJson, {
      what: file,
      code: 'PROJECT_INVALID',
      hint: 'Restore it: git checkout package.json',
    });
  return [
    {
      id: 'node',
      title: 'Node.js version',
      needs: [],
      run: async () => {
        const range = (await pkg()).engines?.node ?? '';
        return satisfiesMinimum(nodeVersion, range)
          ? pass(`${nodeVersion} satisfies ${range}`)
          : fail(
              `${nodeVersion} does not satisfy engines.node ${range}`,
              'asdf install nodejs (the version in .tool-versions), then npm ci',
            );
      },
    },
    {
      id: 'dependencies',
      title: 'npm dependencies',
      needs: [],
      run: async () => {
        const missing = Object.keys((await pkg()).dependencies ?? {}).filter(
          (name) => !existsSync(join(projectDir, 'node_modules', name, 'package.json')),
        );
        return missing.length === 0 ? pass('all installed') : fail(`missing: ${missing.join(', ')}`, 'npm ci');
      },
    },
  ];
}
