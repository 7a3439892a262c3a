import type { Config } from '../config/load.js';
import { loadConfig, type Overrides } from '../config/load.js';
import type { TaskContext } from '../context.js';
import { TaskError } from '../errors.js';
import { pinnedTerraform } from '../toolchain.js';
import { settings } from '../config/settings.js';
import { awsChecks } from './aws-checks.js';
import { fail, pass, runCheck, type Check, type CheckResult } from './check.js';
import { hclChecks } from './hcl-checks.js';
import { runtimeChecks } from './runtime-checks.js';
import { toolChecks } from './tool-checks.js';

export interface DoctorOptions {
  overrides: Overrides;
  /** Run the checks one after another (the benchmark compares both). */
  sequential?: boolean;
  now?: () => Date;
}

const needsConfig = ['unit', 'hcl-format', 'credentials', 'state-bucket', 'state-lock', 'registry-alias', 'repository', 'public-pull'];

function configChecks(config: Config | TaskError): Check[] {
  if (config instanceof TaskError) {
    const reason = 'needs a valid configuration (see the configuration check)';
    return [
      { id: 'config', title: 'Configuration', run: () => fail(config.message, config.hint ?? 'Fix .env') },
      ...needsConfig.map((id) => ({ id, title: id, run: () => fail(reason, 'Fix the configuration first.') })),
    ];
  }
  return [{ id: 'config', title: 'Configuration', run: () => pass('all settings valid') }];
}

/** Every check, and the bound on each; the configuration is validated once, exactly as the tasks validate it. */
export function doctorChecks(ctx: TaskContext, options: DoctorOptions): { checks: Check[]; timeoutMs: number } {
  let config: Config | TaskError;
  try {
    config = loadConfig(options.overrides, ctx.env);
  } catch (error) {
    if (!(error instanceof TaskError)) throw error;
    config = error;
  }
  const configured =
    config instanceof TaskError
      ? { terraform: undefined, terragrunt: undefined }
      : { terraform: config.terraformPath, terragrunt: config.terragruntPath };
  const base = [...runtimeChecks(ctx.projectDir, process.version), ...toolChecks(ctx, configured), ...configChecks(config)];
  // A check is bounded by two AWS call timeouts: credentials, then its own call.
  if (config instanceof TaskError) return { checks: base, timeoutMs: 2000 * Number(defaultTimeoutSeconds) };
  const valid = config;
  const terraform = (): Promise<string> => pinnedTerraform(valid, ctx);
  const checks = [
    ...base,
    ...hclChecks(ctx.projectDir, valid, terraform, ctx.env),
    ...awsChecks({ config: valid, env: ctx.env, now: options.now ?? (() => new Date()) }),
  ];
  return { checks, timeoutMs: 2000 * valid.awsTimeoutSeconds };
}

const defaultTimeoutSeconds = settings.find((s) => s.key === 'awsTimeoutSeconds')?.default ?? '15';

export async function runDoctor(ctx: TaskContext, options: DoctorOptions): Promise<CheckResult[]> {
  const { checks, timeoutMs } = doctorChecks(ctx, options);
  if (!options.sequential) return Promise.all(checks.map((c) => runCheck(c, timeoutMs, ctx.signal)));
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(check, timeoutMs, ctx.signal));
  return results;
}
