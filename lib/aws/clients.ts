import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Config } from '../config/load.js';

/** What every SDK client shares: region, explicit credentials, endpoint, and a bound on each call. */
export interface ClientSettings {
  region: string;
  credentials: AwsCredentialIdentity;
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts: number;
  requestHandler: { requestTimeout: number; connectionTimeout: number };
}

export type Service = 's3' | 'sts' | 'ecrPublic';

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
  return {
    region: regionFor(service, config),
    credentials,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(service === 's3' ? { forcePathStyle: config.s3PathStyle } : {}),
    maxAttempts: 3,
    requestHandler: { requestTimeout: ms, connectionTimeout: ms },
  };
}
