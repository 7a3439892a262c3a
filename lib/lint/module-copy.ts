import { existsSync, readdirSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { copyInfraTree } from '../infra/copy.js';
import { runTool } from '../core/run-tool.js';

/** A module of the tree and its initialised scratch copy (or why the copy could not be initialised). */
export interface ModuleCopy {
  /** The module in the project, which tflint reads as it is. */
  source: string;
  /** The initialised copy, for terraform validate. */
  dir: string;
  error?: string;
}

/** The Terraform modules of the infrastructure tree: each folder of terraform-modules/ with .tf files. */
export function terraformModules(tree: string): string[] {
  const modules = join(tree, 'terraform-modules');
  if (!existsSync(modules)) return [];
  return readdirSync(modules, { withFileTypes: true })
    .filter((e) => e.isDirectory() && readdirSync(join(modules, e.name)).some((f) => f.endsWith('.tf')))
    .map((e) => join(modules, e.name))
    .sort();
}

/**
 * terraform validate needs an initialised module; initialising in place would leave
 * .terraform/ in the repo, so it works on scratch copies under `scratch`.
 */
export async function initialisedModuleCopies(
  modules: string[],
  terraform: string,
  env: NodeJS.ProcessEnv,
): Promise<{ scratch: string; copies: ModuleCopy[] }> {
  const scratch = await mkdtemp(join(tmpdir(), 'lint-modules-'));
  const copies = await Promise.all(
    modules.map(async (source): Promise<ModuleCopy> => {
      const dir = join(scratch, basename(source));
      await copyInfraTree(source, dir);
      const result = await runTool(terraform, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env });
      return result.exitCode === 0
        ? { source, dir }
        : { source, dir, error: `terraform init of the ${basename(source)} copy failed:\n${result.output.trim()}` };
    }),
  );
  return { scratch, copies };
}
