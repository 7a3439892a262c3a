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
  if (!isInside(realpathSync(root), project)) throw badInfraDir(config, `leads outside the project (${realpathSync(root)})`);
  if (!existsSync(join(root, 'root.hcl'))) throw badInfraDir(config, `has no root.hcl, so it is not a Terragrunt root (${root})`);
  // Never the whole project: a root directly under it is its own tree.
  const parent = dirname(root);
  return { root, tree: resolve(parent) === resolve(projectDir) ? root : parent };
}
