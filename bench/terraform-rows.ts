import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../lib/config/load.js';
import { prepareDeploy } from '../lib/deploy/prepare.js';
import { terragruntArgs } from '../lib/terragrunt/args.js';
import { type ResolveResult } from '../lib/tools/resolve.js';
import { unavailableReason } from '../lib/tools/require.js';
import { benchContext } from './context.js';
import { exec, measure, measurePair, type Stats } from './stats.js';

/** The module the provider-cache row initialises. */
const modulePath = 'platform/infra/terraform-modules/ecr-public-repository';

export interface Row {
  name: string;
  subject?: Stats;
  baseline?: Stats;
  ratio?: number;
  target: string;
  note?: string;
}

export function unavailable(result: ResolveResult, names: string[]): string | undefined {
  const missing = result.statuses.filter((s) => names.includes(s.name) && s.source === 'unavailable');
  return missing.length === 0 ? undefined : `not measured: ${missing.map(unavailableReason).join('; ')}`;
}

/** npm run plan against terragrunt plan run directly with the same environment and arguments: what the wrapper adds. */
export async function wrapperOverheadRow(b: { projectDir: string; cli: string; runs: number; env: NodeJS.ProcessEnv }): Promise<Row> {
  const name = 'wrapper overhead: npm run plan vs terragrunt plan (no changes, warm)';
  const dc = await prepareDeploy(loadConfig({}, b.env), benchContext(b.projectDir, b.env), 'require');
  const planFile = join(await mkdtemp(join(tmpdir(), 'bench-plan-')), 'direct.tfplan');
  const args = terragruntArgs(
    { kind: 'plan', planFile, detailedExitCode: true },
    { terraformPath: dc.toolchain.terraform, unitDir: dc.unitDir, color: false, lockTimeoutSeconds: dc.config.lockTimeoutSeconds },
  );
  const { subject, baseline } = await measurePair(
    () => exec(process.execPath, [b.cli, 'plan'], { cwd: b.projectDir, env: b.env }),
    () => exec(dc.toolchain.terragrunt, args, { cwd: dc.unitDir, env: dc.env }),
    b.runs,
  );
  return { name, subject, baseline, ratio: Math.round((subject.median / baseline.median) * 100) / 100, target: 'ratio <= 1.05' };
}

/**
 * terraform init of a fresh copy of the module with the plugin cache cold (new empty
 * dir) and warm (filled once): what TF_PLUGIN_CACHE_DIR saves a second unit.
 */
export async function providerCacheRow(result: ResolveResult, env: NodeJS.ProcessEnv, runs: number): Promise<Row> {
  const name = 'provider cache: terraform init of a second unit, warm vs cold plugin cache';
  const why = unavailable(result, ['terraform', 'aws-provider']);
  if (why) return { name, target: 'warm faster than cold', note: why };
  const terraform = result.paths.terraform;
  const scratch = await mkdtemp(join(tmpdir(), 'bench-init-'));
  const tfEnv = { ...env, TF_CLI_CONFIG_FILE: result.paths.cliConfigFile, CHECKPOINT_DISABLE: '1' };
  let n = 0;
  const init = async (cacheDir: string): Promise<void> => {
    const dir = join(scratch, `unit-${(n += 1)}`);
    await cp(modulePath, dir, { recursive: true, filter: (src) => !src.includes('.terraform') });
    await exec(terraform, ['init', '-backend=false', '-input=false'], { cwd: dir, env: { ...tfEnv, TF_PLUGIN_CACHE_DIR: cacheDir } });
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const warmCache = await mkdtemp(join(scratch, 'warm-'));
    const warm = await measure(() => init(warmCache), runs, 1);
    const cold = await measure(async () => init(await mkdtemp(join(scratch, 'cold-'))), runs, 0);
    return {
      name,
      subject: warm,
      baseline: cold,
      ratio: Math.round((warm.median / cold.median) * 100) / 100,
      target: 'warm faster than cold',
    };
  } finally {
    await rm(scratch, { recursive: true, force: true });
  }
}
