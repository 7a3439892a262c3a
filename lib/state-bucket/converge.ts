import { S3Client } from '@aws-sdk/client-s3';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { bounded } from '../aws/bounded.js';
import { clientSettings, type AwsScope } from '../aws/clients.js';
import { explainAwsError } from '../aws/explain.js';
import type { Config } from '../config/load.js';
import type { Logger } from '../core/log.js';
import { countRequests, type RequestCounts } from './count-requests.js';
import { desiredBucket } from './desired.js';
import { bucketPresence, createBucket } from './presence.js';
import { bucketSettings } from './hardening.js';
import { onceBucketSettles, settleSideBySide } from './settle.js';

export interface ConvergeReport {
  created: boolean;
  /** Names of the settings that were written. */
  changed: string[];
  requests: RequestCounts;
}

export interface SettingState {
  name: string;
  ok: boolean;
  missing: string;
}

function s3For(scope: AwsScope, credentials: AwsCredentialIdentity): { s3: S3Client; requests: RequestCounts } {
  const s3 = new S3Client(clientSettings('s3', scope.config, credentials));
  return { s3: bounded(s3, 's3', scope), requests: countRequests(s3) };
}

/**
 * Brings the state bucket to the hardened shape; a second run reads each setting once and writes
 * nothing. `signal` (the task's) stops it; without one (the benchmark) each call is still bounded.
 */
export async function convergeStateBucket(
  config: Config,
  credentials: AwsCredentialIdentity,
  account: string,
  log: Logger,
  signal: AbortSignal = new AbortController().signal,
): Promise<ConvergeReport> {
  const scope = { config, signal };
  const { s3, requests } = s3For(scope, credentials);
  const desired = desiredBucket(config);
  try {
    const created = (await bucketPresence(s3, scope, account)) === 'absent';
    if (created) {
      log.progress(`creating state bucket ${config.stateBucket} in ${config.stateRegion} and waiting until it is reachable`);
      await createBucket(s3, scope);
    }
    // Every setting is read side by side (each is its own subresource, as doctor reads them);
    // the writes go one at a time, in the table's order: S3 may answer OperationAborted to
    // concurrent changes of one bucket's configuration.
    const wanted = bucketSettings.filter((s) => s.wanted(desired));
    const current = await settleSideBySide(
      s3,
      scope,
      wanted.map((setting) => () => setting.read(s3, desired, account)),
    );
    const changed: string[] = [];
    for (const [i, setting] of wanted.entries()) {
      if (setting.ok(current[i], desired)) continue;
      await onceBucketSettles(s3, scope, () => setting.write(s3, desired, account, current[i]));
      changed.push(setting.name);
    }
    return { created, changed, requests };
  } catch (error) {
    throw explainAwsError(error, { config, action: `converge the state bucket ${config.stateBucket}` });
  } finally {
    s3.destroy();
  }
}

/** Read-only view for doctor and the other tasks: presence and each setting's state, no writes. */
export async function inspectStateBucket(
  scope: AwsScope,
  credentials: AwsCredentialIdentity,
  account: string,
): Promise<{ exists: boolean; settings: SettingState[] }> {
  const { config } = scope;
  const { s3 } = s3For(scope, credentials);
  const desired = desiredBucket(config);
  try {
    if ((await bucketPresence(s3, scope, account)) === 'absent') return { exists: false, settings: [] };
    const wanted = bucketSettings.filter((s) => s.wanted(desired));
    const states = await Promise.all(
      wanted.map(async (s) => ({ name: s.name, ok: s.ok(await s.read(s3, desired, account), desired), missing: s.missing })),
    );
    return { exists: true, settings: states };
  } catch (error) {
    throw explainAwsError(error, { config, action: `inspect the state bucket ${config.stateBucket}` });
  } finally {
    s3.destroy();
  }
}

/** One HeadBucket: what every task but init needs to know before it runs terragrunt. */
export async function stateBucketExists(scope: AwsScope, credentials: AwsCredentialIdentity, account: string): Promise<boolean> {
  const { config } = scope;
  const { s3 } = s3For(scope, credentials);
  try {
    return (await bucketPresence(s3, scope, account)) === 'ours';
  } catch (error) {
    throw explainAwsError(error, { config, action: `look up the state bucket ${config.stateBucket}` });
  } finally {
    s3.destroy();
  }
}
