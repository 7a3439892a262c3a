import { readFileSync } from 'node:fs';
import { createSecureContext, getCACertificates, type SecureContext } from 'node:tls';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import type { Config } from '../config/load.js';
import { ExitCode, TaskError } from '../core/errors.js';

/** What every AWS call runs under: the settings, and the signal that stops it (Ctrl-C, SIGTERM, doctor's bound). */
export interface AwsScope {
  config: Config;
  signal: AbortSignal;
}

export type Service = 's3' | 'sts' | 'ecrPublic' | 'iam';

/** How messages name each service and the setting that points it elsewhere. */
export const services: Record<Service, { label: string; setting: string }> = {
  s3: { label: 'S3', setting: 'AWS_ENDPOINT_URL_S3' },
  sts: { label: 'STS', setting: 'AWS_ENDPOINT_URL_STS' },
  ecrPublic: { label: 'ECR Public', setting: 'AWS_ENDPOINT_URL_ECR_PUBLIC' },
  iam: { label: 'IAM', setting: 'AWS_ENDPOINT_URL_IAM' },
};

/** The HTTP handler options of every client: each attempt bounded, and a timeout is an error, not a log line. */
export interface HandlerSettings {
  requestTimeout: number;
  connectionTimeout: number;
  throwOnRequestTimeout: true;
  httpsAgent?: { secureContext: SecureContext };
}

/** What every SDK client shares: region, explicit credentials, endpoint, and a bound on each attempt. */
export interface ClientSettings {
  region: string;
  credentials: AwsCredentialIdentity;
  endpoint?: string;
  forcePathStyle?: boolean;
  maxAttempts: number;
  requestHandler: HandlerSettings;
}

const bundles = new Map<string, string[]>();

/**
 * Node's default certificate authorities plus those of AWS_CA_BUNDLE (read once): a corporate
 * proxy's CA is added, never a replacement, so AWS's own endpoints stay trusted beside it.
 */
export function trustedCas(config: Config): string[] | undefined {
  const file = config.caBundle;
  if (file === undefined) return undefined;
  const cached = bundles.get(file);
  if (cached !== undefined) return cached;
  try {
    const cas = [...getCACertificates('default'), readFileSync(file, 'utf8')];
    bundles.set(file, cas);
    return cas;
  } catch (error) {
    throw new TaskError(`AWS_CA_BUNDLE=${file} cannot be read: ${String(error)}`, {
      code: 'CONFIG_INVALID',
      hint: 'Point AWS_CA_BUNDLE at a readable PEM file, or unset it.',
      exitCode: ExitCode.config,
      cause: error,
    });
  }
}

const contexts = new Map<string, SecureContext>();

/**
 * One TLS context for those authorities, shared by every client and connection: building
 * one parses every certificate (tens of milliseconds), which each new connection would
 * otherwise repeat.
 */
function trustedContext(config: Config): SecureContext | undefined {
  const ca = trustedCas(config);
  if (ca === undefined || config.caBundle === undefined) return undefined;
  let context = contexts.get(config.caBundle);
  if (context === undefined) contexts.set(config.caBundle, (context = createSecureContext({ ca })));
  return context;
}

export function handlerSettings(config: Config): HandlerSettings {
  const ms = config.awsTimeoutSeconds * 1000;
  const secureContext = trustedContext(config);
  return {
    requestTimeout: ms,
    connectionTimeout: ms,
    throwOnRequestTimeout: true,
    ...(secureContext === undefined ? {} : { httpsAgent: { secureContext } }),
  };
}

export function endpointFor(service: Service, config: Config): string | undefined {
  if (service === 's3') return config.s3Endpoint;
  if (service === 'sts') return config.stsEndpoint;
  if (service === 'iam') return config.iamEndpoint;
  return config.ecrPublicEndpoint;
}

/**
 * IAM is global: the SDK signs its calls for us-east-1 in the aws partition whatever the
 * region; the provider's region (DEPLOY_ECR_REGION) is the one a custom endpoint is signed for.
 */
function regionFor(service: Service, config: Config): string {
  return service === 'ecrPublic' || service === 'iam' ? config.ecrRegion : config.stateRegion;
}

/**
 * Endpoints come from configuration, never from ambient variables the SDK would
 * otherwise read, so a test's or operator's settings are the only ones in force.
 */
export function clientSettings(service: Service, config: Config, credentials: AwsCredentialIdentity): ClientSettings {
  const endpoint = endpointFor(service, config);
  return {
    region: regionFor(service, config),
    credentials,
    ...(endpoint === undefined ? {} : { endpoint }),
    ...(service === 's3' ? { forcePathStyle: config.s3PathStyle } : {}),
    maxAttempts: 3,
    requestHandler: handlerSettings(config),
  };
}
