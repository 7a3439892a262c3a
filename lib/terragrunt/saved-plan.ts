import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DeployContext } from '../deploy/prepare.js';
import { infraTree } from '../infra/tree.js';

export interface PlanPaths {
  planFile: string;
  metaFile: string;
}

export function planPaths(unitDir: string): PlanPaths {
  return { planFile: join(unitDir, 'terragrunt.tfplan'), metaFile: join(unitDir, 'terragrunt.tfplan.json') };
}

const skippedDirs = new Set(['.terragrunt-cache', '.terraform', 'node_modules']);

async function hclFiles(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const nested = await Promise.all(
    entries.map(async (e) => {
      const path = join(dir, e.name);
      if (e.isDirectory()) return skippedDirs.has(e.name) ? [] : hclFiles(path);
      // Symbolic links are not followed (as clean does not): nothing outside the tree is read.
      return e.isFile() && /\.(tf|hcl)$/.test(e.name) ? [path] : [];
    }),
  );
  return nested.flat().sort();
}

/**
 * What the plan was made from: every HCL file of the infrastructure tree and the
 * settings handed to root.hcl. Credentials are not part of it (and never written).
 */
async function fingerprint(dc: DeployContext, projectDir: string): Promise<string> {
  const hash = createHash('sha256');
  // The tree clean sweeps: the units and the modules they use, inside the project.
  for (const file of await hclFiles(infraTree(dc.config, projectDir).tree))
    hash
      .update(relative(projectDir, file))
      .update('\0')
      .update(await readFile(file))
      .update('\0');
  const { stateBucket, stateRegion, ecrRegion, unit, s3Endpoint, ecrPublicEndpoint, iamEndpoint } = dc.config;
  const settings = { stateBucket, stateRegion, ecrRegion, unit, s3Endpoint, ecrPublicEndpoint, iamEndpoint };
  hash.update(JSON.stringify({ account: dc.identity.account, ...settings }));
  return hash.digest('hex');
}

/** `changes`: whether terraform said the plan changes anything (-detailed-exitcode 2). */
export async function recordPlan(dc: DeployContext, projectDir: string, changes: boolean): Promise<void> {
  const meta = { fingerprint: await fingerprint(dc, projectDir), changes, createdAt: new Date().toISOString() };
  await writeFile(planPaths(dc.unitDir).metaFile, `${JSON.stringify(meta, null, 2)}\n`);
}

export type SavedPlan = 'none' | 'changes' | 'no-changes';

/**
 * A saved plan counts only when nothing it was made from has changed (terraform then
 * checks the state itself); it also says whether it changes anything.
 */
export async function savedPlan(dc: DeployContext, projectDir: string): Promise<SavedPlan> {
  const paths = planPaths(dc.unitDir);
  if (!existsSync(paths.planFile) || !existsSync(paths.metaFile)) return 'none';
  const meta = JSON.parse(await readFile(paths.metaFile, 'utf8')) as { fingerprint?: string; changes?: boolean };
  if (meta.fingerprint !== (await fingerprint(dc, projectDir))) return 'none';
  return meta.changes === false ? 'no-changes' : 'changes';
}

/** A plan is applied once: afterwards it is stale by definition. */
export async function discardPlan(unitDir: string): Promise<void> {
  const paths = planPaths(unitDir);
  await Promise.all([rm(paths.planFile, { force: true }), rm(paths.metaFile, { force: true })]);
}
