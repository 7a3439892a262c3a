import { resolveCredentials, type ResolvedCredentials } from '../../lib/aws/credentials.js';
import { loadConfig, type Config, type Overrides } from '../../lib/config/load.js';
import { settings } from '../../lib/config/settings.js';
import type { TaskContext } from '../../lib/core/context.js';
import { TaskError } from '../../lib/core/errors.js';
import { loadToolSettings } from '../../lib/tools/tool-settings.js';
import { pinnedTerraform } from '../../lib/tools/toolchain.js';
import { awsChecks } from './aws-checks.js';
import { fail, pass, runCheck, type Check, type CheckResult, type Providers } from './check.js';
import { hclChecks } from './hcl-checks.js';
import { oidcProviderCheck } from './oidc-provider-check.js';
import { pushRoleChecks } from './push-role-checks.js';
import { runtimeChecks } from './runtime-checks.js';
import { providerCheck } from './provider-checks.js';
import { toolChecks } from './tool-checks.js';

export interface DoctorRun {
  overrides: Overrides;
  /** Every unit: the push role's and the GitHub OIDC provider's checks too (--all). */
  all?: boolean;
  /** Run the checks one after another (the benchmark compares both). */
  sequential?: boolean;
  now?: () => Date;
}

function validated(overrides: Overrides, env: NodeJS.ProcessEnv): Config | TaskError {
  try {
    return loadConfig(overrides, env);
  } catch (error) {
    if (!(error instanceof TaskError)) throw error;
    return error;
  }
}

/** Each need obtained once for every check that declares it; the first asker's signal bounds it (they all start together). */
function providersFor(ctx: TaskContext, config: Config | TaskError): Providers {
  const invalid = new TaskError('needs a valid configuration (see the configuration check)', {
    code: 'CONFIG_INVALID',
    hint: 'Fix the configuration first.',
  });
  const valid = (): Promise<Config> => (config instanceof TaskError ? Promise.reject(invalid) : Promise.resolve(config));
  let credentials: Promise<ResolvedCredentials> | undefined;
  let terraform: Promise<string> | undefined;
  return {
    config: valid,
    credentials: (signal) => (credentials ??= valid().then((c) => resolveCredentials({ config: c, signal }, ctx.env))),
    terraform: () => (terraform ??= valid().then((c) => pinnedTerraform(c, ctx))),
  };
}

/** Every check and the bound on each; the configuration is validated once, exactly as the tasks validate it. */
function doctorChecks(ctx: TaskContext, options: DoctorRun): { checks: Check[]; providers: Providers; timeoutMs: number } {
  const config = validated(options.overrides, ctx.env);
  const valid = config instanceof TaskError ? undefined : config;
  const checks: Check[] = [
    ...runtimeChecks(ctx.projectDir, process.version),
    // The tool settings alone: a bad deploy setting is the configuration check's, not the tools'.
    ...toolChecks(ctx, {
      terraform: valid?.terraformPath,
      terragrunt: valid?.terragruntPath,
      tools: () => loadToolSettings(options.overrides, ctx.env),
    }),
    providerCheck(ctx, options.all === true),
    {
      id: 'config',
      title: 'Configuration',
      needs: [],
      run: () => (config instanceof TaskError ? fail(config.message, config.hint ?? 'Fix .env') : pass('all settings valid')),
    },
    ...hclChecks(ctx.projectDir, ctx.env),
    ...awsChecks({ env: ctx.env, now: options.now ?? (() => new Date()) }),
    ...(options.all === true ? [...pushRoleChecks(), oidcProviderCheck(ctx.projectDir)] : []),
  ];
  // A check is bounded by two AWS call timeouts: credentials, then its own call.
  return { checks, providers: providersFor(ctx, config), timeoutMs: 2000 * (valid?.awsTimeoutSeconds ?? Number(defaultTimeoutSeconds)) };
}

const defaultTimeoutSeconds = settings.find((s) => s.key === 'awsTimeoutSeconds')?.default ?? '15';

export async function runDoctor(ctx: TaskContext, options: DoctorRun): Promise<CheckResult[]> {
  const { checks, providers, timeoutMs } = doctorChecks(ctx, options);
  if (!options.sequential) return Promise.all(checks.map((c) => runCheck(c, timeoutMs, ctx.signal, providers)));
  const results: CheckResult[] = [];
  for (const check of checks) results.push(await runCheck(check, timeoutMs, ctx.signal, providers));
  return results;
}
