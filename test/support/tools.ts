import { createMemoryLogger } from '../../lib/log.js';
import { resolveTools, unavailableReason, type ResolveResult, type ToolName, type ToolPaths } from '../../lib/tools/resolve.js';
import { checkVersion, spawnRunner } from '../../lib/tools/version-check.js';

let resolved: Promise<ResolveResult> | undefined;

/** The tools as `npm run tools` left them; tests never build anything themselves. */
export function testToolStatus(): Promise<ResolveResult> {
  resolved ??= resolveTools(
    { projectDir: process.cwd(), env: process.env, log: createMemoryLogger(), interactive: false, signal: new AbortController().signal },
    { install: false },
  );
  return resolved;
}

export interface SuiteTools {
  paths: ToolPaths;
  /** false when every tool is there; otherwise the reason, shown by node:test as the SKIP reason. */
  skip: string | false;
}

/**
 * For a suite that needs tools: either their paths, or a skip that names each missing
 * tool and why (node:test prints it; the count appears in the summary). Only terraform
 * and terragrunt may be missing: everything else `npm test` installs first, so a gap
 * there is a failure, not a skip.
 */
export async function suiteTools(names: readonly ToolName[]): Promise<SuiteTools> {
  const result = await testToolStatus();
  const missing = result.statuses.filter((s) => names.includes(s.name) && s.source === 'unavailable');
  const notSkippable = missing.filter((s) => s.name !== 'terraform' && s.name !== 'terragrunt');
  if (notSkippable.length > 0) {
    throw new Error(
      `tools the tests need are missing (run npm run tools): ${notSkippable.map((s) => `${s.name}: ${s.detail}`).join('; ')}`,
    );
  }
  const skip = missing.length === 0 ? false : `needs ${missing.map(unavailableReason).join(' and ')}`;
  return { paths: result.paths, skip };
}

/** The sandbox only needs moto. */
export async function testTools(): Promise<{ motoServer: string; botocoreDataDir: string }> {
  const { paths } = await suiteTools(['moto']);
  return { motoServer: paths.motoServer, botocoreDataDir: paths.botocoreDataDir };
}

export interface ModuleTerraform {
  bin: string;
  version: string;
  skip: string | false;
}

/**
 * terraform for the module's own tests: the pinned one when this machine has it; else
 * the one TEST_TERRAFORM_BIN names explicitly (CI names the machine's own terraform,
 * which satisfies the module's required_version). Which one ran is in the test name.
 */
export async function moduleTerraform(): Promise<ModuleTerraform> {
  const { paths, skip } = await suiteTools(['terraform']);
  if (skip === false) return { bin: paths.terraform, version: 'pinned', skip: false };
  const explicit = process.env.TEST_TERRAFORM_BIN;
  if (!explicit)
    return { bin: '', version: '', skip: `${skip}; or set TEST_TERRAFORM_BIN to a terraform >= the module's required_version` };
  const check = await checkVersion('terraform', explicit, '0.0.0', { env: process.env, runner: spawnRunner });
  if (check.installed === undefined) throw new Error(`TEST_TERRAFORM_BIN=${explicit} is not a working terraform: ${check.problem ?? ''}`);
  return { bin: explicit, version: check.installed, skip: false };
}
