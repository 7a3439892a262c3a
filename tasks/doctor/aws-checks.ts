import { trustedCas, type AwsScope } from '../../lib/aws/clients.js';
import { httpsStatus } from '../../lib/aws/https-status.js';
import type { ResolvedCredentials } from '../../lib/aws/credentials.js';
import { catalogDifferences, readRepository, registryAlias, type CatalogData } from '../../lib/aws/ecr-public.js';
import type { Config } from '../../lib/config/load.js';
import { errorMessage } from '../../lib/core/errors.js';
import { loginCommand } from '../../lib/aws/explain.js';
import { inspectStateBucket } from '../../lib/state-bucket/converge.js';
import { readStateObject } from '../../lib/state-bucket/state-object.js';
import { fail, pass, warn, type Check, type CheckOutcome } from './check.js';
import * as v from 'valibot';
import { parseJson } from '../../lib/core/outside-data.js';
import { parseStateLock } from '../../lib/state-lock/lock.js';

export interface AwsCheckContext {
  config: Config;
  env: NodeJS.ProcessEnv;
  now: () => Date;
}

export function expiryOutcome(resolved: ResolvedCredentials, c: AwsCheckContext): CheckOutcome {
  const who = `${resolved.identity.arn} (account ${resolved.identity.account})`;
  if (!resolved.expiration) return pass(`${who}; long-lived credentials`);
  const minutes = Math.floor((resolved.expiration.getTime() - c.now().getTime()) / 60000);
  const login = loginCommand(c.config);
  if (minutes < c.config.minSessionMinutes)
    return warn(
      `${who}; session expires in ${minutes} min: apply and destroy refuse to start (DEPLOY_MIN_SESSION_MINUTES=${c.config.minSessionMinutes})`,
      `Refresh it: ${login}`,
    );
  if (minutes < c.config.ssoWarningMinutes)
    return warn(`${who}; session expires in ${minutes} min`, `Refresh before a long apply: ${login}`);
  return pass(`${who}; session expires in ${minutes} min`);
}

function stateObject(scope: AwsScope, resolved: ResolvedCredentials, key: string): Promise<string | undefined> {
  return readStateObject(scope, resolved.credentials, resolved.identity.account, key);
}

async function lockOutcome(c: AwsCheckContext, scope: AwsScope, resolved: ResolvedCredentials): Promise<CheckOutcome> {
  const key = `${c.config.unit}/terraform.tfstate.tflock`;
  const body = await stateObject(scope, resolved, key);
  if (body === undefined) return pass('no lock held');
  const lock = parseStateLock(body, c.config.stateBucket, key);
  const ageMin = lock.Created ? Math.round((c.now().getTime() - Date.parse(lock.Created)) / 60000) : undefined;
  return warn(
    `lock ${lock.ID} held by ${lock.Who ?? 'unknown'} for ${lock.Operation ?? 'an operation'}${ageMin === undefined ? '' : `, ${ageMin} min old`}`,
    `If that run is still going, wait. If it is dead: npm run unlock -- --lock-id ${lock.ID}`,
  );
}

/** The catalog data last applied, from the module's catalog_data output in the state object. */
const appliedState = v.object({
  outputs: v.optional(
    v.object({
      catalog_data: v.optional(
        v.object({
          value: v.nullish(
            v.object({
              description: v.optional(v.string()),
              architectures: v.optional(v.array(v.string())),
              operating_systems: v.optional(v.array(v.string())),
            }),
          ),
        }),
      ),
    }),
  ),
});

async function appliedCatalog(c: AwsCheckContext, scope: AwsScope, resolved: ResolvedCredentials): Promise<CatalogData | undefined> {
  const key = `${c.config.unit}/terraform.tfstate`;
  const body = await stateObject(scope, resolved, key);
  const value = body
    ? parseJson(body, appliedState, {
        what: `s3://${c.config.stateBucket}/${key}, the unit's state,`,
        code: 'STATE_UNREADABLE',
        hint: `Restore its last good version (the bucket keeps versions): aws s3api list-object-versions --bucket ${c.config.stateBucket} --prefix ${key}`,
      }).outputs?.catalog_data?.value
    : undefined;
  return value
    ? { description: value.description ?? '', architectures: value.architectures ?? [], operatingSystems: value.operating_systems ?? [] }
    : undefined;
}

async function repositoryOutcome(c: AwsCheckContext, scope: AwsScope, resolved: ResolvedCredentials): Promise<CheckOutcome> {
  const live = await readRepository(scope, resolved.credentials);
  if (!live) return warn(`${c.config.repositoryName} not created yet`, 'npm run plan, then npm run apply');
  const expected = await appliedCatalog(c, scope, resolved);
  if (!expected) return warn(`${live.uri} exists but is not in this unit's state`, 'Adopt it: npm run import');
  const differences = catalogDifferences(expected, live.catalog);
  return differences.length === 0
    ? pass(`${live.uri}; catalog data as applied`)
    : fail(`catalog data drifted: ${differences.join('; ')}`, 'npm run plan, then npm run apply');
}

async function publicPullOutcome(c: AwsCheckContext, scope: AwsScope, resolved: ResolvedCredentials): Promise<CheckOutcome> {
  const alias = await registryAlias(scope, resolved.credentials);
  const url = `${c.config.publicTokenUrl}?scope=${encodeURIComponent(`repository:${alias ?? ''}/${c.config.repositoryName}:pull`)}`;
  let status: number;
  try {
    status = await httpsStatus(url, { ca: trustedCas(c.config), timeoutMs: c.config.awsTimeoutSeconds * 1000, signal: scope.signal });
  } catch (error) {
    return fail(
      `the public token endpoint ${c.config.publicTokenUrl} did not answer: ${errorMessage(error)}`,
      'Check network access to it (DEPLOY_PUBLIC_TOKEN_URL), then run npm run doctor again.',
    );
  }
  if (status === 200) return pass(`anonymous pull token granted for ${alias}/${c.config.repositoryName}`);
  return warn(`anonymous pull token refused (HTTP ${status})`, 'The repository is not public yet: npm run apply creates it.');
}

type AwsOutcome = (c: AwsCheckContext, scope: AwsScope, resolved: ResolvedCredentials) => Promise<CheckOutcome>;

/** Every AWS check needs the configuration and the credentials; when those fail, each fails with their reason. */
export function awsChecks(base: Omit<AwsCheckContext, 'config'>): Array<Check<'config' | 'credentials'>> {
  const aws = (id: string, title: string, outcome: AwsOutcome): Check<'config' | 'credentials'> => ({
    id,
    title,
    needs: ['config', 'credentials'],
    run: async (provide, signal) => {
      const config = await provide('config');
      return outcome({ ...base, config }, { config, signal }, await provide('credentials'));
    },
  });
  const aliasOutcome: AwsOutcome = async (_c, scope, resolved) => {
    const alias = await registryAlias(scope, resolved.credentials);
    return alias
      ? pass(`public.ecr.aws/${alias}`)
      : fail('the registry has no alias', 'Set an alias in the ECR Public console (Registry settings).');
  };
  const bucketOutcome: AwsOutcome = async (c, scope, resolved) => {
    const state = await inspectStateBucket(scope, resolved.credentials, resolved.identity.account);
    // Before the first init that is the expected state, not a fault: init creates it.
    if (!state.exists) return pass(`${c.config.stateBucket} does not exist yet: npm run init will create it`);
    const missing = state.settings.filter((s) => !s.ok);
    return missing.length === 0
      ? pass(`${c.config.stateBucket}: ${state.settings.map((s) => s.name).join(', ')}`)
      : fail(missing.map((s) => s.missing).join('; '), 'npm run init (it repairs each setting)');
  };
  return [
    aws('credentials', 'AWS credentials', (c, _scope, resolved) => Promise.resolve(expiryOutcome(resolved, c))),
    aws('state-bucket', 'State bucket', bucketOutcome),
    aws('state-lock', 'State lock', lockOutcome),
    aws('registry-alias', 'ECR Public registry alias', aliasOutcome),
    aws('repository', 'ECR Public repository', repositoryOutcome),
    aws('public-pull', 'Public pull', publicPullOutcome),
  ];
}
