import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import * as v from 'valibot';
import { isCredentialVariable } from '../aws/child-env.js';
import { parseJson } from '../core/outside-data.js';
import type { TerragruntContext } from './context.js';
import { infraTree } from '../infra/tree.js';
import { unitFiles, variablesRead } from '../infra/unit-files.js';

export interface PlanPaths {
  planFile: string;
  metaFile: string;
}

export function planPaths(unitDir: string): PlanPaths {
  return { planFile: join(unitDir, 'terragrunt.tfplan'), metaFile: join(unitDir, 'terragrunt.tfplan.json') };
}

/**
 * Variables terraform itself reads from the environment it is given, beside what the HCL reads
 * with get_env: input variables (TF_VAR_name) and the endpoints of the provider and the S3
 * backend (AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE>), which choose the world a plan
 * was made against. Prefixes of terraform's and the AWS SDKs' own conventions, not a list of
 * our settings.
 */
const readByTerraform = /^(TF_VAR_|AWS_ENDPOINT_URL($|_))/;

const digest = (value: string | Buffer): string => createHash('sha256').update(value).digest('hex');

/**
 * Everything the unit's plan was made from, each as a digest (the record never holds a value):
 * the unit's files (its HCL, root.hcl, its module, its dependencies'), the account, and every
 * variable of the child environment the HCL reads with get_env or terraform reads itself.
 * Credentials are not part of it: a refreshed session does not make a plan stale.
 */
async function planInputs(dc: TerragruntContext, projectDir: string): Promise<Record<string, string>> {
  const files = await unitFiles(infraTree(dc.config, projectDir).root, dc.unitDir);
  const inputs: Record<string, string> = { account: digest(dc.identity.account) };
  for (const file of files) inputs[`file ${relative(projectDir, file)}`] = digest(await readFile(file));
  const names = new Set([...(await variablesRead(files)), ...Object.keys(dc.env).filter((n) => readByTerraform.test(n))]);
  for (const name of [...names].sort()) {
    if (isCredentialVariable(name)) continue;
    const value = dc.env[name];
    inputs[`env ${name}`] = value === undefined ? 'unset' : digest(value);
  }
  return inputs;
}

/**
 * `changes`: whether terraform said the plan changes anything (-detailed-exitcode 2). `locked`
 * false (plan --no-lock) records a review without a plan file: what was planned, never what
 * may be applied.
 */
export async function recordPlan(
  dc: TerragruntContext,
  projectDir: string,
  changes: boolean,
  summary: string,
  locked = true,
): Promise<void> {
  const meta = { inputs: await planInputs(dc, projectDir), changes, summary, locked, createdAt: new Date().toISOString() };
  await writeFile(planPaths(dc.unitDir).metaFile, `${JSON.stringify(meta, null, 2)}\n`);
}

/**
 * A saved plan: none; stale, with what changed since it was made (`DEPLOY_GITHUB_BRANCH`, a
 * file's path, `the AWS account`); reviewed, a plan made without the lock (plan --no-lock),
 * which has no plan file and is only compared with a plan made under the lock; or current,
 * with whether it changes anything.
 */
export type SavedPlan =
  | { state: 'none' }
  | { state: 'stale'; changed: readonly string[] }
  | { state: 'reviewed'; summary: string }
  | { state: 'current'; changes: boolean; summary: string };

/** The record recordPlan writes beside a plan. */
const planRecord = v.object({
  inputs: v.record(v.string(), v.string()),
  changes: v.boolean(),
  summary: v.string(),
  locked: v.boolean(),
  createdAt: v.string(),
});

/** The record beside a plan; one that is not what recordPlan writes (truncated, `null`, edited) is named with the fix. */
async function readRecord(paths: PlanPaths): Promise<v.InferOutput<typeof planRecord>> {
  return parseJson(await readFile(paths.metaFile, 'utf8'), planRecord, {
    what: `The saved plan's record ${paths.metaFile}`,
    code: 'PLAN_RECORD_UNREADABLE',
    hint: `Plan again (npm run plan replaces it), or delete the saved plan: rm ${paths.metaFile} ${paths.planFile}`,
  });
}

function changedInputs(before: Readonly<Record<string, string>>, now: Record<string, string>): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(now)])].sort();
  return keys.filter((k) => before[k] !== now[k]).map((k) => (k === 'account' ? 'the AWS account' : k.replace(/^(env|file) /, '')));
}

/**
 * A saved plan counts only when every input it was made from is unchanged (terraform then
 * checks the state itself); the callers refuse or replace a stale one, saying what changed. A
 * plan file without its record is stale: nothing says what it was made from.
 */
export async function savedPlan(dc: TerragruntContext, projectDir: string): Promise<SavedPlan> {
  const paths = planPaths(dc.unitDir);
  const record = existsSync(paths.metaFile) ? await readRecord(paths) : undefined;
  // Made without the lock: never applied, even if someone put a plan file beside the record.
  const review = record?.locked === false;
  if (!review && !existsSync(paths.planFile)) return { state: 'none' };
  if (record === undefined) return { state: 'stale', changed: [`its record ${paths.metaFile} (missing)`] };
  const changed = changedInputs(record.inputs, await planInputs(dc, projectDir));
  if (changed.length > 0) return { state: 'stale', changed };
  return review ? { state: 'reviewed', summary: record.summary } : { state: 'current', changes: record.changes, summary: record.summary };
}

/** A plan is applied once: afterwards it is stale by definition. */
export async function discardPlan(unitDir: string): Promise<void> {
  const paths = planPaths(unitDir);
  await Promise.all([rm(paths.planFile, { force: true }), rm(paths.metaFile, { force: true })]);
}
