import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { readFileSync } from 'node:fs';
import type { Config } from '../config/load.js';
import { ExitCode, TaskError } from '../errors.js';

/** What every SDK client shares: region, explicit credentials, endpoint, and a bound on each call. */
export interface ClientSettings {
  region: string;
  credentials: AwsCredentialIdentity;
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts: number;
  requestHandler: { requestTimeout: number; connectionTimeout: number; httpsAgent?: { ca: string } };
}

export type Service = 's3' | 'sts' | 'ecrPublic';

const bundles = new Map<string, string>();

/** Extra certificate authorities from AWS_CA_BUNDLE (read once), as the AWS CLI and Terraform use them. */
export function caBundle(config: Config): string | undefined {
  const file = config.caBundle;
  if (file === undefined) return undefined;
  const cached = bundles.get(file);
  if (cached !== undefined) return cached;
  try {
    const pem = readFileSync(file, 'utf8');
    bundles.set(file, pem);
    return pem;
  } catch (error) {
    throw new TaskError(`AWS_CA_BUNDLE=${file} cannot be read: ${String(error)}`, {
      code: 'CONFIG_INVALID',
      hint: 'Point AWS_CA_BUNDLE at a readable PEM file, or unset it.',
      exitCode: ExitCode.config,
      cause: error,
    });
  }
}

function endpointFor(service: Service, config: Config): string | undefined {
  if (service === 's3') return config.s3Endpoint;
  if (service === 'sts') return config.stsEndpoint;
  return config.ecrPublicEndpoint;
}

function regionFor(service: Service, config: Config): string {
  return service === 'ecrPublic' ? config.ecrRegion : config.stateRegion;
}

/**
 * Endpoints come from configuration, never from ambient variables the SDK would
 * otherwise read, so a test's or operator's settings are the only ones in force.
 */
export function clientSettings(service: Service, config: Config, credentials: AwsCredentialIdentity): ClientSettings {
  const ms = config.awsTimeoutSeconds * 1000;
  const endpoint = endpointFor(service, config);
  const ca = caBundle(config);
  return {
    region: regionFor(service, config),
    credentials,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(service === 's3' ? { forcePathStyle: config.s3PathStyle } : {}),
    maxAttempts: 3,
    requestHandler: { requestTimeout: ms, connectionTimeout: ms, ...(ca === undefined ? {} : { httpsAgent: { ca } }) },
  };
}
