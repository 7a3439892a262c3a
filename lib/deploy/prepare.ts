import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { childEnvironment, secretsOf } from '../aws/child-env.js';
import type { AwsScope } from '../aws/clients.js';
import { resolveCredentials, type CallerIdentity } from '../aws/credentials.js';
import type { Config } from '../config/load.js';
import { settings } from '../config/settings.js';
import type { TaskContext } from '../core/context.js';
import { ExitCode, TaskError } from '../core/errors.js';
import { infraTree, unitFolder } from '../infra/tree.js';
import { createRedactor } from '../core/redact.js';
import { convergeStateBucket, stateBucketExists, type ConvergeReport } from '../state-bucket/converge.js';
import type { TerragruntContext } from '../terragrunt/context.js';
import { pinnedToolchain, type PinnedToolchain } from '../tools/toolchain.js';
import * as v from 'valibot';
import { parseJson } from '../core/outside-data.js';

/** Everything a terragrunt-driving task needs, prepared in the order the brief sets: what a terragrunt run needs, and more. */
export interface DeployContext extends TerragruntContext {
  /** The task's signal: Ctrl-C or SIGTERM stops AWS calls and terragrunt. */
  signal: AbortSignal;
  toolchain: PinnedToolchain;
  identity: CallerIdentity;
  /** When the credentials stop working; undefined for long-lived keys. */
  expiration: Date | undefined;
  bucket: ConvergeReport | undefined;
}

export function unitDirectory(config: Config, projectDir: string): string {
  return unitFolder(infraTree(config, projectDir), config.unit);
}

function assertUnit(unitDir: string, config: Config): void {
  if (existsSync(join(unitDir, 'terragrunt.hcl'))) return;
  throw new TaskError(`No terragrunt.hcl in ${unitDir} (DEPLOY_UNIT=${config.unit}).`, {
    code: 'UNIT_MISSING',
    exitCode: ExitCode.config,
    hint: `Pick an existing unit with --unit (see ${config.infraDir}/*/), or create ${config.unit}/terragrunt.hcl as platform/infra/README.md describes.`,
  });
}

/**
 * The values terragrunt's HCL reads with get_env(): the same validated settings the tasks use,
 * every one the settings table marks rootHcl (an unset one left out), and the project's name.
 */
export function rootHclInputs(config: Config, projectName: string): Record<string, string> {
  const inputs: Record<string, string> = {};
  for (const s of settings) {
    const value: unknown = s.rootHcl ? config[s.key] : undefined;
    if (value === undefined) continue;
    // HCL reads text: a setting marked rootHcl holds a string, a boolean or a number.
    if (typeof value !== 'string' && typeof value !== 'boolean' && typeof value !== 'number')
      throw new Error(`bug: ${s.env} is marked rootHcl but its value is not text, a boolean or a number`);
    inputs[s.env] = String(value);
  }
  return { ...inputs, DEPLOY_PROJECT_NAME: projectName };
}

/**
 * How terraform finds the provider and that no one is at the keyboard. Without the mirror
 * (every real run), the operator's own TF_CLI_CONFIG_FILE and TF_PLUGIN_CACHE_DIR pass
 * through untouched, and every init, terragrunt's auto-init included, verifies the
 * provider against the committed lock files without rewriting them (-lockfile=readonly).
 * With the mirror the copy's init writes its own lock file for the source-built provider.
 */
export function terraformSettings(toolchain: PinnedToolchain, config: Config, base: NodeJS.ProcessEnv): Record<string, string> {
  const initArgs = [base.TF_CLI_ARGS_init, toolchain.cliConfigFile ? undefined : '-lockfile=readonly'].filter(Boolean).join(' ');
  return {
    // The provider and the S3 backend read the same extra CAs as the tasks.
    ...(config.caBundle ? { AWS_CA_BUNDLE: config.caBundle } : {}),
    ...(toolchain.pluginCacheDir ? { TF_PLUGIN_CACHE_DIR: toolchain.pluginCacheDir } : {}),
    ...(initArgs ? { TF_CLI_ARGS_init: initArgs } : {}),
    TF_IN_AUTOMATION: '1',
    ...(toolchain.cliConfigFile ? { TF_CLI_CONFIG_FILE: toolchain.cliConfigFile } : {}),
  };
}

/** The "Repository" default tag: the project's package name. */
export async function projectName(projectDir: string): Promise<string> {
  const file = join(projectDir, 'package.json');
  return parseJson(await readFile(file, 'utf8'), v.object({ name: v.pipe(v.string(), v.nonEmpty()) }), {
    what: file,
    code: 'PROJECT_INVALID',
    hint: 'Restore the "name" field of package.json (git checkout package.json).',
  }).name;
}

export type BucketMode = 'converge' | 'require';

/**
 * Config is already valid; this checks tools, then credentials, then the bucket, failing
 * fast at the first gap: no AWS call is made for a run whose tools are wrong. The tool
 * checks cost next to nothing once their version probes are cached (lib/tools/probe-cache).
 */
export async function prepareDeploy(config: Config, ctx: TaskContext, bucketMode: BucketMode): Promise<DeployContext> {
  const unitDir = unitDirectory(config, ctx.projectDir);
  assertUnit(unitDir, config);
  const toolchain = await pinnedToolchain(config, ctx);
  ctx.signal.throwIfAborted();
  const scope: AwsScope = { config, signal: ctx.signal };
  const { credentials, identity, expiration } = await resolveCredentials(scope, ctx.env);
  ctx.signal.throwIfAborted();
  ctx.log.info(`AWS identity: ${identity.arn} (account ${identity.account})`);
  const bucket =
    bucketMode === 'converge' ? await convergeStateBucket(config, credentials, identity.account, ctx.log, ctx.signal) : undefined;
  if (bucketMode === 'require') await requireBucket(scope, credentials, identity.account);
  ctx.signal.throwIfAborted();
  const inputs = { ...rootHclInputs(config, await projectName(ctx.projectDir)), ...terraformSettings(toolchain, config, ctx.env) };
  const env = childEnvironment(ctx.env, credentials, inputs);
  return {
    config,
    signal: ctx.signal,
    unitDir,
    toolchain,
    identity,
    credentials,
    expiration,
    env,
    redact: createRedactor(secretsOf(credentials)),
    bucket,
  };
}

async function requireBucket(scope: AwsScope, credentials: AwsCredentialIdentity, account: string): Promise<void> {
  if (await stateBucketExists(scope, credentials, account)) return;
  throw new TaskError(`The state bucket ${scope.config.stateBucket} does not exist yet.`, {
    code: 'BUCKET_MISSING',
    hint: 'Run npm run init first: it creates and hardens the state bucket, then initialises the unit.',
  });
}
