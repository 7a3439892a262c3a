import { request, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import { isQueryApi, queryAction, signingKey, signingService } from './aws-requests.js';
import type { ProxyHooks } from './faults.js';

interface ProxiedRequest {
  method: string;
  path: string;
  /** The service the request was signed for (its SigV4 credential scope: s3, sts, iam, ecr-public); undefined when unsigned. */
  service?: string;
  /** The operation: a query API's (STS, IAM) form Action, or a JSON API's (ECR Public) x-amz-target operation. */
  action?: string;
  /** PUT, POST and DELETE change state in S3's REST API; an IAM Action other than Get* and List* does; STS's never. */
  write: boolean;
  /** The error code the sandbox's fault injection answered instead of forwarding. */
  fault?: string;
  /** The HTTP status the client got; undefined until the answer came. */
  status?: number;
}

/** What a hold can match on: the JSON APIs (ECR Public) name the operation in x-amz-target. */
interface HeldRequest {
  method: string;
  path: string;
  target: string;
}

export interface CountingProxy {
  url: string;
  /** Tells the proxy which account an access key belongs to (moto does not enforce bucket ownership). */
  registerAccount(accessKeyId: string, accountId: string): void;
  requests(): ReadonlyArray<ProxiedRequest>;
  resetRequestLog(): void;
  /**
   * Holds the next request that `match` accepts until the returned release is called:
   * a test can then act while a client (terraform mid-apply) waits on the service.
   */
  holdNext(match: (request: HeldRequest) => boolean): Promise<() => void>;
  close(): Promise<void>;
}

/** Request bodies here are API calls and state files: small enough to hold whole. */
async function readBody(req: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * A pass-through in front of moto that records every request, so tests can count what
 * the tasks and terraform send to S3, STS and IAM (moto keeps no request log of its own). With
 * `faults`, each request may be answered by the sandbox's fault injection instead.
 */
export async function startCountingProxy(
  target: string,
  host: string,
  tls: { key: string; cert: string },
  faults?: ProxyHooks,
): Promise<CountingProxy> {
  const upstream = new URL(target);
  let log: ProxiedRequest[] = [];
  const ownership = new BucketOwnership();
  const holds: Array<{ match: (r: HeldRequest) => boolean; held: (release: () => void) => void }> = [];
  const forward = (req: IncomingMessage, res: ServerResponse): void => {
    const target = String(req.headers['x-amz-target'] ?? '');
    const hold = holds.findIndex((h) => h.match({ method: req.method ?? 'GET', path: req.url ?? '/', target }));
    if (hold === -1) {
      answer(req, res);
      return;
    }
    const [{ held }] = holds.splice(hold, 1) as [(typeof holds)[number]];
    held(() => answer(req, res));
  };
  // A proxy never throws at its client: a failure on the way is a 502.
  const answer = (req: IncomingMessage, res: ServerResponse): void => {
    pass(req, res).catch((error: unknown) => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`sandbox proxy: ${String(error)}`);
    });
  };
  const pass = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const query = isQueryApi(method, path);
    const service = signingService(req);
    const entry: ProxiedRequest = {
      method,
      path,
      service,
      write: !query && (method === 'PUT' || method === 'POST' || method === 'DELETE'),
    };
    log.push(entry);
    const body = await readBody(req);
    if (query && String(req.headers['content-type']).startsWith('application/x-www-form-urlencoded')) {
      entry.action = queryAction(body);
      entry.write = service === 'iam' && !/^(Get|List)/.test(entry.action ?? '');
    }
    const target = req.headers['x-amz-target'];
    if (typeof target === 'string') {
      entry.action = target.slice(target.lastIndexOf('.') + 1);
      entry.write = !/^(Get|List|Describe|BatchCheck)/.test(entry.action);
    }
    const injected = faults?.intercept(req, body);
    if (injected) {
      entry.fault = injected.code;
      entry.status = injected.status;
      res.writeHead(injected.status, { ...injected.headers, 'content-length': Buffer.byteLength(injected.body) });
      res.end(injected.body);
      return;
    }
    if (ownership.denies(req)) {
      entry.status = 403;
      res.writeHead(403, { 'content-type': 'application/xml' });
      res.end('<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>Access Denied</Message></Error>');
      return;
    }
    const out = request({ host: upstream.hostname, port: upstream.port, method, path: req.url, headers: req.headers }, (answer) => {
      entry.status = answer.statusCode;
      ownership.observe(req, answer.statusCode ?? 0);
      faults?.observe(req, body, answer.statusCode ?? 0);
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    out.on('error', (error) => {
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`sandbox proxy: upstream unreachable: ${error.message}`);
    });
    out.end(body);
  };
  // Clients speak TLS to the proxy, as to AWS; the hop to the emulator on loopback is plain.
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, forward);
  server.listen(0, host);
  await once(server, 'listening');
  const port = (server.address() as AddressInfo).port;
  return {
    url: `https://${host}:${port}`,
    registerAccount: (accessKeyId, accountId) => ownership.register(accessKeyId, accountId),
    requests: () => log,
    resetRequestLog: () => {
      log = [];
    },
    holdNext: (match) => new Promise((held) => holds.push({ match, held })),
    // Idempotent: a test may stop the proxy early to simulate an endpoint going down.
    close: async () => {
      if (!server.listening) return;
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}

/**
 * S3 answers 403 when `x-amz-expected-bucket-owner` names another account than the
 * bucket's owner. moto ignores that header, so the sandbox enforces it here: it notes
 * who created each bucket (by the signing access key) and checks the header against it.
 */
class BucketOwnership {
  private readonly accounts = new Map<string, string>();
  private readonly owners = new Map<string, string>();

  register(accessKeyId: string, accountId: string): void {
    this.accounts.set(accessKeyId, accountId);
  }

  observe(req: IncomingMessage, status: number): void {
    const bucket = bucketOf(req);
    const account = this.accountOf(req);
    if (req.method === 'PUT' && status === 200 && bucket && !(req.url ?? '').includes('?') && account) this.owners.set(bucket, account);
  }

  denies(req: IncomingMessage): boolean {
    const expected = req.headers['x-amz-expected-bucket-owner'];
    const bucket = bucketOf(req);
    const owner = bucket ? this.owners.get(bucket) : undefined;
    return typeof expected === 'string' && owner !== undefined && owner !== expected;
  }

  private accountOf(req: IncomingMessage): string | undefined {
    const key = signingKey(req);
    return key ? this.accounts.get(key) : undefined;
  }
}

/** Path-style addressing (the sandbox forces it): the bucket is the first path segment. */
function bucketOf(req: IncomingMessage): string | undefined {
  const segment = (req.url ?? '/').split('?')[0]?.split('/')[1];
  return segment ? segment : undefined;
}
