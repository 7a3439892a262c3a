import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { ExitCode, TaskError } from '../core/errors.js';
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

/**
 * The name of the module a unit runs (`ecr-public-repository` for a source ending
 * `terraform-modules//ecr-public-repository`), undefined for a unit without a local source:
 * what the unit is, whichever folder it sits in.
 */
export async function unitModule(unitDir: string): Promise<string | undefined> {
  const dir = moduleDir(unitDir, await readFile(join(unitDir, 'terragrunt.hcl'), 'utf8'));
  return dir === undefined ? undefined : basename(dir);
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

/**
 * The environment variables the HCL among `files` reads with `get_env("NAME"...)`, sorted: a
 * saved plan depends on their values as much as on the files, and reading the names from the
 * HCL itself leaves no list to keep up when a unit reads one more. A name that is not written
 * as a quoted literal cannot be known before terragrunt runs, so it is refused.
 */
export async function variablesRead(files: readonly string[]): Promise<string[]> {
  const names = new Set<string>();
  for (const file of files.filter((f) => f.endsWith('.hcl'))) {
    const lines = (await readFile(file, 'utf8')).split('\n');
    lines.forEach((line, index) => {
      // A comment may mention get_env() without calling it.
      if (/^\s*(#|\/\/)/.test(line)) return;
      for (const call of line.matchAll(/\bget_env\s*\(\s*(?:"([A-Za-z_][A-Za-z0-9_]*)"\s*[,)])?/g)) {
        if (call[1] === undefined) throw unknownVariable(`${file}:${index + 1}`);
        names.add(call[1]);
      }
    });
  }
  return [...names].sort();
}

function unknownVariable(where: string): TaskError {
  return new TaskError(`${where} calls get_env with a name that is not a quoted literal: what a saved plan depends on cannot be told.`, {
    code: 'PLAN_INPUTS_UNKNOWN',
    hint: 'Name the variable in quotes, get_env("DEPLOY_..."), on the line of the call; one variable per call.',
    exitCode: ExitCode.config,
  });
}
