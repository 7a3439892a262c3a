import { existsSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import type { Config } from '../config/load.js';
import { ExitCode, TaskError } from '../core/errors.js';

/** The infrastructure the tasks work on, always inside the project. */
export interface InfraTree {
  /** The Terragrunt root: DEPLOY_INFRA_DIR, holding root.hcl. */
  root: string;
  /** What clean sweeps and the saved-plan fingerprint reads: the root's parent (units and the modules they use). */
  tree: string;
}

export function isInside(child: string, parent: string): boolean {
  const rel = relative(parent, child);
  return rel === '' || (!rel.startsWith('..') && !isAbsolute(rel));
}

function badInfraDir(config: Config, problem: string): TaskError {
  return new TaskError(`DEPLOY_INFRA_DIR=${config.infraDir} ${problem}.`, {
    code: 'INFRA_DIR_INVALID',
    hint: 'Set DEPLOY_INFRA_DIR (or --infra-dir) to the Terragrunt root inside the project that holds root.hcl: platform/infra/terragrunt by default.',
    exitCode: ExitCode.config,
  });
}

/**
 * Resolves DEPLOY_INFRA_DIR inside the project. The setting's rule already refuses absolute
 * paths and `..`; this also refuses a symlink that leads out, a missing folder and a folder
 * that is not a Terragrunt root, so nothing outside the project is ever read or deleted.
 */
export function infraTree(config: Config, projectDir: string): InfraTree {
  const root = resolve(projectDir, config.infraDir);
  if (!existsSync(root) || !statSync(root).isDirectory()) throw badInfraDir(config, `is not a folder of the project (${root})`);
  const project = realpathSync(projectDir);
  const realRoot = realpathSync(root);
  if (!isInside(realRoot, project)) throw badInfraDir(config, `leads outside the project (${realRoot})`);
  if (!existsSync(join(root, 'root.hcl'))) throw badInfraDir(config, `has no root.hcl, so it is not a Terragrunt root (${root})`);
  // The root's parent holds the modules beside it, but only a parent strictly inside the
  // project: a root at the project's top (DEPLOY_INFRA_DIR=.) would make it the checkout's
  // parent, where clean would delete and format rewrite other projects' files.
  const parent = dirname(realRoot);
  return { root, tree: parent !== project && isInside(parent, project) ? dirname(root) : root };
}

/**
 * The folder of `unit` under the Terragrunt root, refused (bad input) when it leads out of the
 * root through a symlink: the plan file, terragrunt's cache and terraform's writes land in the
 * unit's folder, so a unit outside would put them in another project. A missing folder is
 * returned as it is, for the caller's own "no terragrunt.hcl" message.
 */
export function unitFolder(infra: InfraTree, unit: string, named = `DEPLOY_UNIT=${unit}`): string {
  const dir = join(infra.root, unit);
  if (!existsSync(dir)) return dir;
  const real = realpathSync(dir);
  if (isInside(real, realpathSync(infra.root))) return dir;
  throw new TaskError(`${named} leads outside the Terragrunt root ${infra.root} (to ${real}).`, {
    code: 'UNIT_OUTSIDE',
    hint: `Make ${unit} a real folder under ${infra.root} (not a symlink out of it), or pick another unit with --unit.`,
    exitCode: ExitCode.config,
  });
}
