import { cp, glob, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { loadConfig } from '../lib/config/load.js';
import { runTool } from '../lib/core/run-tool.js';
import { prepareDeploy } from '../lib/deploy/prepare.js';
import { terragruntArgs } from '../lib/terragrunt/args.js';
import { type ResolveResult } from '../lib/tools/resolve.js';
import { unavailableReason } from '../lib/tools/require.js';
import { benchContext } from './context.js';
import { exec, measure, stats, type Stats } from './stats.js';

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

/** Times each command in turn (A, B, C, A, B, C, ...) after one untimed round, so a drifting machine weighs on all alike. */
async function measureRound(commands: Array<() => Promise<unknown>>, runs: number): Promise<Stats[]> {
  const samples = commands.map((): number[] => []);
  for (let i = 0; i <= runs; i += 1)
    for (const [k, fn] of commands.entries()) {
      const started = performance.now();
      await fn();
      if (i > 0) samples[k]?.push(performance.now() - started);
    }
  return samples.map(stats);
}

/** Terraform's working copy of the unit inside .terragrunt-cache: where terragrunt itself runs terraform. */
async function workingCopy(unitDir: string): Promise<string> {
  for await (const dir of glob(join(unitDir, '.terragrunt-cache/*/*/*/.terraform'))) return dirname(dir);
  throw new Error(`${unitDir} has no initialised .terragrunt-cache working copy: run npm run plan once first`);
}

/** The unit's inputs as terragrunt hands them to terraform: TF_VAR_ variables (strings as they are, the rest as JSON). */
async function inputVariables(
  terragrunt: string,
  common: string[],
  unitDir: string,
  env: NodeJS.ProcessEnv,
): Promise<Record<string, string>> {
  const run = await runTool(terragrunt, ['render', '--json', ...common], { cwd: unitDir, env });
  if (run.exitCode !== 0) throw new Error(`terragrunt render failed:\n${run.output.slice(-800)}`);
  const inputs = (JSON.parse(run.stdout) as { inputs?: Record<string, unknown> }).inputs ?? {};
  return Object.fromEntries(Object.entries(inputs).map(([k, v]) => [`TF_VAR_${k}`, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/**
 * The single plan, side by side in one run: npm run plan, terragrunt plan run directly with the
 * same environment and arguments, and bare terraform plan in the unit's own .terragrunt-cache
 * working copy with the inputs terragrunt would pass (the floor: what terragrunt itself runs).
 */
export async function singlePlanRows(b: { projectDir: string; cli: string; runs: number; env: NodeJS.ProcessEnv }): Promise<Row[]> {
  const dc = await prepareDeploy(loadConfig({}, b.env), benchContext(b.projectDir, b.env), 'require');
  const planFile = join(await mkdtemp(join(tmpdir(), 'bench-plan-')), 'direct.tfplan');
  const common = {
    terraformPath: dc.toolchain.terraform,
    unitDir: dc.unitDir,
    color: false,
    lockTimeoutSeconds: dc.config.lockTimeoutSeconds,
  };
  const args = terragruntArgs({ kind: 'plan', planFile, detailedExitCode: true }, common);
  const separator = args.indexOf('--');
  const global = args.slice(1, separator);
  const tfEnv = { ...dc.env, ...(await inputVariables(dc.toolchain.terragrunt, global, dc.unitDir, dc.env)) };
  const copy = await workingCopy(dc.unitDir);
  const [ours, terragrunt, terraform] = await measureRound(
    [
      () => exec(process.execPath, [b.cli, 'plan'], { cwd: b.projectDir, env: b.env }),
      () => exec(dc.toolchain.terragrunt, args, { cwd: dc.unitDir, env: dc.env }),
      () => exec(dc.toolchain.terraform, ['plan', ...args.slice(separator + 1)], { cwd: copy, env: tfEnv }),
    ],
    b.runs,
  );
  const ratio = (a: Stats, base: Stats): number => Math.round((a.median / base.median) * 100) / 100;
  const pair = { subject: ours as Stats };
  return [
    {
      name: 'wrapper overhead: npm run plan vs terragrunt plan (no changes, warm)',
      ...pair,
      baseline: terragrunt,
      ratio: ratio(ours as Stats, terragrunt as Stats),
      target: 'ratio <= 1.05',
    },
    {
      name: "the floor: npm run plan vs bare terraform plan in the unit's .terragrunt-cache working copy (same run)",
      ...pair,
      baseline: terraform,
      ratio: ratio(ours as Stats, terraform as Stats),
      target: 'ratio <= 1.15',
      note: `terragrunt plan over bare terraform plan: ${ratio(terragrunt as Stats, terraform as Stats)}`,
    },
  ];
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
