import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { TaskError } from '../core/errors.js';
import { isInside } from './tree.js';

const skippedDirs = new Set(['.terragrunt-cache', '.terraform', 'node_modules']);

/** The .tf and .hcl files below `dir`, sorted; caches are skipped and links not followed. */
async function hclFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return skippedDirs.has(e.name) ? [] : hclFiles(path);
      // Not .terraform.lock.hcl: init writes it, and terraform itself refuses a saved plan whose providers differ.
      return e.isFile() && /\.(tf|hcl)$/.test(e.name) && e.name !== '.terraform.lock.hcl' ? [path] : [];
    }),
  );
  return nested.flat().sort();
}

/** The module a unit's `terraform { source = "../../../terraform-modules//name" }` names (local sources only). */
function moduleDir(unitDir: string, hcl: string): string | undefined {
  const source = /^\s*source\s*=\s*"([^"]+)"/m.exec(hcl)?.[1];
  if (source === undefined || !source.startsWith('.')) return undefined;
  const [base, sub = ''] = source.split('//');
  return resolve(unitDir, base ?? '', sub);
}

/** The units a unit's `dependency` blocks name (`config_path = "../other"`). */
function dependencyDirs(unitDir: string, hcl: string): string[] {
  return [...hcl.matchAll(/^\s*config_path\s*=\s*"([^"]+)"/gm)].map((m) => resolve(unitDir, m[1] ?? ''));
}

/**
 * What a unit is made of: its own HCL, root.hcl, its module, and the same of every unit it
 * depends on. A saved plan's fingerprint covers these and nothing else, so editing one unit
 * does not make another's plan stale.
 */
export async function unitFiles(root: string, unitDir: string, seen = new Set<string>()): Promise<string[]> {
  if (seen.has(unitDir)) return [];
  seen.add(unitDir);
  const config = join(unitDir, 'terragrunt.hcl');
  if (!existsSync(config))
    throw new TaskError(`No terragrunt.hcl in ${unitDir}.`, {
      code: 'UNIT_MISSING',
      hint: 'Check the unit and its dependency blocks (config_path).',
    });
  const hcl = await readFile(config, 'utf8');
  const module = moduleDir(unitDir, hcl);
  const dependencies = dependencyDirs(unitDir, hcl).filter((d) => isInside(d, root));
  const files = [
    ...(await hclFiles(unitDir)),
    join(root, 'root.hcl'),
    ...(module !== undefined && existsSync(module) ? await hclFiles(module) : []),
    ...(await Promise.all(dependencies.map((d) => unitFiles(root, d, seen)))).flat(),
  ];
  return [...new Set(files)].sort();
}
