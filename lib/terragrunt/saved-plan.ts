import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import type { DeployContext } from '../deploy/prepare.js';
import { infraTree } from '../infra/tree.js';
import { unitFiles } from '../infra/unit-files.js';

export interface PlanPaths {
  planFile: string;
  metaFile: string;
}

export function planPaths(unitDir: string): PlanPaths {
  return { planFile: join(unitDir, 'terragrunt.tfplan'), metaFile: join(unitDir, 'terragrunt.tfplan.json') };
}

/**
 * What the plan was made from: the unit's files (its HCL, root.hcl, its module, its
 * dependencies') and the settings handed to root.hcl. Credentials are not part of it.
 */
async function fingerprint(dc: DeployContext, projectDir: string): Promise<string> {
  const hash = createHash('sha256');
  for (const file of await unitFiles(infraTree(dc.config, projectDir).root, dc.unitDir))
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

/**
 * `changes`: whether terraform said the plan changes anything (-detailed-exitcode 2). `locked`
 * false (plan --no-lock) records a review without a plan file: what was planned, never what
 * may be applied.
 */
export async function recordPlan(dc: DeployContext, projectDir: string, changes: boolean, summary: string, locked = true): Promise<void> {
  const meta = { fingerprint: await fingerprint(dc, projectDir), changes, summary, locked, createdAt: new Date().toISOString() };
  await writeFile(planPaths(dc.unitDir).metaFile, `${JSON.stringify(meta, null, 2)}\n`);
}

/** `reviewed`: a plan made without the lock was reviewed; there is no plan file to apply, only its change summary. */
export type SavedPlan = 'none' | 'changes' | 'no-changes' | 'reviewed';

/**
 * A saved plan counts only when nothing it was made from has changed (terraform then
 * checks the state itself); it also says whether it changes anything.
 */
export async function savedPlan(dc: DeployContext, projectDir: string): Promise<SavedPlan> {
  const paths = planPaths(dc.unitDir);
  if (!existsSync(paths.metaFile)) return 'none';
  const meta = JSON.parse(await readFile(paths.metaFile, 'utf8')) as { fingerprint?: string; changes?: boolean; locked?: boolean };
  if (meta.fingerprint !== (await fingerprint(dc, projectDir))) return 'none';
  // Made without the lock: never applied, even if someone put a plan file beside the record.
  if (meta.locked === false) return 'reviewed';
  if (!existsSync(paths.planFile)) return 'none';
  return meta.changes === false ? 'no-changes' : 'changes';
}

/** The change summary recorded with the saved plan (`+1 ~0 -0`). */
export async function savedSummary(unitDir: string): Promise<string> {
  const meta = JSON.parse(await readFile(planPaths(unitDir).metaFile, 'utf8')) as { summary?: string };
  return meta.summary ?? '?';
}

/** A plan is applied once: afterwards it is stale by definition. */
export async function discardPlan(unitDir: string): Promise<void> {
  const paths = planPaths(unitDir);
  await Promise.all([rm(paths.planFile, { force: true }), rm(paths.metaFile, { force: true })]);
}
