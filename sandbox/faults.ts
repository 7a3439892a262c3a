// Deterministic, bounded fault injection for the sandbox: the failures real AWS shows
// (read-after-create lag, throttling, sessions that expire), driven by request counts,
// never by clocks or sleeps. The TLS proxies in front of moto and the ECR Public
// server consult it for every request.
import type { IncomingMessage } from 'node:http';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import { awsService, signingKey } from './aws-requests.js';
import { parseTarget } from './ecr-public/protocol.js';
import { expired, noSuchBucket, repositoryNotFound, throttled, type FaultService, type InjectedAnswer } from './fault-answers.js';

export interface FaultSpec {
  /** After CreateBucket, HeadBucket sees the bucket but the next N bucket-configuration calls on it answer NoSuchBucket. */
  s3Lag?: number;
  /** After CreateRepository, the next N DescribeRepositories naming it answer RepositoryNotFoundException. */
  ecrLag?: number;
  /**
   * Every Nth request to each of S3, STS, IAM and ECR Public is throttled (a share of 1/N;
   * N >= 2). The retry of a throttled request gets through, also when other requests run
   * beside it and would otherwise make it the next Nth.
   */
  throttle?: number;
  /** A session the sandbox's STS handed out stops working after N more requests signed with it. */
  expire?: number;
}

const names = { 's3-lag': 's3Lag', 'ecr-lag': 'ecrLag', throttle: 'throttle', expire: 'expire' } as const;
const minimum: Record<keyof FaultSpec, number> = { s3Lag: 1, ecrLag: 1, throttle: 2, expire: 1 };
const form = 'a comma-separated list of s3-lag=N, ecr-lag=N, throttle=N (N >= 2: every Nth request) and expire=N, N up to 1000';

/** Parses `--faults s3-lag=3,throttle=4`; anything else is bad input, reported with the allowed form. */
export function parseFaults(list: string): FaultSpec {
  const spec: FaultSpec = {};
  for (const item of list.split(',').map((s) => s.trim())) {
    const match = /^([a-z0-9-]+)=([0-9]{1,4})$/.exec(item);
    const key = match ? names[match[1] as keyof typeof names] : undefined;
    const value = Number(match?.[2]);
    if (!key || value < minimum[key] || value > 1000 || key in spec)
      throw new TaskError(`--faults: "${item}" is not a fault the sandbox knows (or is repeated).`, {
        code: 'CONFIG_INVALID',
        hint: `Give ${form}, e.g. --faults s3-lag=3,throttle=4.`,
        exitCode: ExitCode.config,
      });
    spec[key] = value;
  }
  return spec;
}

/** One line for the rehearsal's banner: which faults are on. */
export function describeFaults(spec: FaultSpec): string {
  const on = Object.entries(names).filter(([, key]) => spec[key] !== undefined);
  return on.length === 0 ? 'none' : on.map(([name, key]) => `${name}=${spec[key]}`).join(',');
}

/** What a proxy asks of the faults for each request: an answer to give instead, and what upstream said. */
export interface ProxyHooks {
  intercept(req: IncomingMessage, body: Buffer): InjectedAnswer | undefined;
  observe(req: IncomingMessage, body: Buffer, status: number): void;
}

interface Session {
  /** Requests it may still sign; undefined: only its expiration ends it. */
  remaining: number | undefined;
  expiresAt: number;
}

// Bucket subresources that read or write a bucket's configuration (not its objects).
const configurationQuery =
  /^(accelerate|acl|analytics|cors|encryption|intelligent-tiering|inventory|lifecycle|location|logging|metrics|notification|object-lock|ownershipControls|policy|policyStatus|publicAccessBlock|replication|requestPayment|tagging|versioning|website)(=|&|$)/;

function s3Target(req: IncomingMessage): { bucket: string | undefined; configuration: boolean; create: boolean } {
  const [path = '', query] = (req.url ?? '/').split('?');
  const segments = path.split('/').filter((s) => s !== '');
  const bucketLevel = segments.length === 1;
  return {
    bucket: segments[0],
    configuration: bucketLevel && query !== undefined && configurationQuery.test(query),
    create: bucketLevel && req.method === 'PUT' && query === undefined,
  };
}

function jsonBody(body: Buffer): Record<string, unknown> {
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    return typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>) : {};
  } catch {
    return {};
  }
}

/** The fault state of one sandbox; tests switch faults on and off between (or during) runs. */
export class Faults {
  private spec: FaultSpec = {};
  private readonly counts = new Map<FaultService, number>();
  /** The requests (method and URL) just throttled: their retry passes. */
  private readonly throttledLast = new Set<string>();
  private readonly bucketLag = new Map<string, number>();
  private readonly repositoryLag = new Map<string, number>();
  private readonly sessions = new Map<string, Session>();

  /** Replaces the active faults; request counts and pending lags start again from zero. */
  set(spec: FaultSpec): void {
    this.spec = { ...spec };
    this.counts.clear();
    this.throttledLast.clear();
    this.bucketLag.clear();
    this.repositoryLag.clear();
    for (const session of this.sessions.values()) session.remaining = spec.expire;
  }

  /** A session the sandbox's STS handed out: it ends at its expiration, or sooner under the expire fault. */
  addSession(accessKeyId: string, expiration: Date): void {
    this.sessions.set(accessKeyId, { remaining: this.spec.expire, expiresAt: expiration.getTime() });
  }

  /** Ends every session now (what the expire fault does once its count is used up). */
  expireSessions(): void {
    for (const session of this.sessions.values()) session.remaining = 0;
  }

  /** For the proxy in front of moto, which serves S3, STS and IAM. */
  awsHooks(): ProxyHooks {
    return this.hooks(awsService, '');
  }

  /** For the proxy in front of the ECR Public server: API calls only (not the token, logo or health routes). */
  ecrPublicHooks(registryId: string): ProxyHooks {
    return this.hooks((req) => (req.method === 'POST' && parseTarget(req.headers) !== undefined ? 'ecr-public' : undefined), registryId);
  }

  private hooks(serviceOf: (req: IncomingMessage) => FaultService | undefined, registryId: string): ProxyHooks {
    return {
      intercept: (req, body) => {
        const service = serviceOf(req);
        return service === undefined ? undefined : this.intercept(service, req, body, registryId);
      },
      observe: (req, body, status) => {
        const service = serviceOf(req);
        if (service !== undefined && status === 200) this.observe(service, req, body);
      },
    };
  }

  private intercept(service: FaultService, req: IncomingMessage, body: Buffer, registryId: string): InjectedAnswer | undefined {
    const method = req.method ?? 'GET';
    if (this.sessionEnded(req)) return expired(service, method);
    if (this.spec.throttle !== undefined) {
      const count = (this.counts.get(service) ?? 0) + 1;
      this.counts.set(service, count);
      const retry = `${service} ${method} ${req.url ?? '/'}`;
      if (!this.throttledLast.delete(retry) && count % this.spec.throttle === 0) {
        this.throttledLast.add(retry);
        return throttled(service, method);
      }
    }
    if (service === 's3') {
      const target = s3Target(req);
      if (target.bucket !== undefined && target.configuration && take(this.bucketLag, target.bucket)) return noSuchBucket(method);
    }
    if (service === 'ecr-public' && parseTarget(req.headers) === 'DescribeRepositories') {
      const requested = jsonBody(body).repositoryNames;
      const lagging = Array.isArray(requested)
        ? requested.find((n): n is string => typeof n === 'string' && take(this.repositoryLag, n))
        : undefined;
      if (lagging !== undefined) return repositoryNotFound(lagging, registryId);
    }
    return undefined;
  }

  private observe(service: FaultService, req: IncomingMessage, body: Buffer): void {
    const target = service === 's3' ? s3Target(req) : undefined;
    if (target?.create && target.bucket !== undefined && this.spec.s3Lag !== undefined) this.bucketLag.set(target.bucket, this.spec.s3Lag);
    if (service === 'ecr-public' && parseTarget(req.headers) === 'CreateRepository' && this.spec.ecrLag !== undefined) {
      const name = jsonBody(body).repositoryName;
      if (typeof name === 'string') this.repositoryLag.set(name, this.spec.ecrLag);
    }
  }

  /** A request signed by a session that is past its expiration or its request budget; each one signed uses up one. */
  private sessionEnded(req: IncomingMessage): boolean {
    const key = signingKey(req);
    const session = key === undefined ? undefined : this.sessions.get(key);
    if (session === undefined) return false;
    if (Date.now() >= session.expiresAt || session.remaining === 0) return true;
    if (session.remaining !== undefined) session.remaining -= 1;
    return false;
  }
}

/** Uses up one of a key's pending lag answers; true when there was one. */
function take(lags: Map<string, number>, key: string): boolean {
  const left = lags.get(key) ?? 0;
  if (left <= 0) return false;
  lags.set(key, left - 1);
  return true;
}
