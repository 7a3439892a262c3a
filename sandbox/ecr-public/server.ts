// HTTP front of the local Amazon ECR Public API sandbox: the AWS JSON 1.1 API on
// POST /, the anonymous pull-token endpoint, a health probe, and request accounting.
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import * as protocol from './protocol.js';
import { ApiError } from './protocol.js';
import { EcrPublicStore } from './store.js';

export interface EcrPublicServerOptions {
  host: string;
  /** 0 picks a free port. */
  port: number;
  accountId: string;
  registryAlias: string;
  region: string;
  /** Repositories the registry may hold before LimitExceededException (default: the service quota). */
  repositoryLimit?: number;
}

interface RecordedRequest {
  operation: string;
  write: boolean;
  status: number;
  errorCode?: string;
}

export interface EcrPublicServer {
  url: string;
  port: number;
  region: string;
  requests(): ReadonlyArray<RecordedRequest>;
  resetRequestLog(): void;
  setImageCount(repositoryName: string, count: number): void;
  /** Makes the repository's catalog record disappear, as for RepositoryCatalogDataNotFoundException. */
  clearCatalogData(repositoryName: string): void;
  /** The next `times` calls of `operation` answer ServerException (HTTP 500). */
  injectServerFault(operation: string, times?: number): void;
  close(): Promise<void>;
}

interface Context {
  store: EcrPublicStore;
  options: EcrPublicServerOptions;
  log: RecordedRequest[];
  faults: Map<string, number>;
}

// Largest body we buffer: a 512000-byte logo is ~683 KiB of base64 plus text fields.
const MAX_BODY_BYTES = 2 * 1024 * 1024;

/** Reads the whole body; rejects bodies larger than any valid request could be. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new ApiError('RequestEntityTooLargeException', 'Request body too large', 413));
        req.resume();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Whether an operation name mutates state (used for "zero writes" assertions). */
function isWriteOperation(operation: string): boolean {
  return /^(Create|Put|Set|Delete|Tag|Untag|BatchDelete|Initiate|Upload|Complete)/.test(operation);
}

function sendPlainJson(res: ServerResponse, status: number, body: unknown): void {
  const payload = JSON.stringify(body);
  res.writeHead(status, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  res.end(payload);
}

function takeFault(ctx: Context, operation: string): boolean {
  const remaining = ctx.faults.get(operation) ?? 0;
  if (remaining <= 0) return false;
  ctx.faults.set(operation, remaining - 1);
  return true;
}

async function runOperation(ctx: Context, req: IncomingMessage, operation: string | undefined): Promise<unknown> {
  // AWS authenticates before it looks at the target or the body.
  protocol.checkAuthorization(req.headers, ctx.options.region);
  if (operation === undefined) throw new ApiError('UnknownOperationException', 'Missing or unrecognised X-Amz-Target');
  const input = protocol.parseJsonObject(await readBody(req));
  if (takeFault(ctx, operation)) throw new ApiError('ServerException', 'Injected server fault', 500);
  return ctx.store.handle(operation, input);
}

async function handleApi(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const requestId = randomUUID();
  const operation = protocol.parseTarget(req.headers);
  const record: RecordedRequest = {
    operation: operation ?? 'Unknown',
    write: isWriteOperation(operation ?? ''),
    status: 200,
  };
  ctx.log.push(record);
  try {
    const output = await runOperation(ctx, req, operation);
    protocol.sendJson(res, 200, output, requestId);
  } catch (error) {
    const apiError = error instanceof ApiError ? error : new ApiError('ServerException', `Internal error: ${String(error)}`, 500);
    record.status = apiError.status;
    record.errorCode = apiError.code;
    protocol.sendError(res, apiError, requestId);
  }
}

/** GET /token?scope=repository:<alias>/<name>:pull — the anonymous pull token of public.ecr.aws. */
function handleToken(ctx: Context, url: URL, res: ServerResponse): void {
  ctx.log.push({ operation: 'GetPullToken', write: false, status: 200 });
  const record = ctx.log[ctx.log.length - 1] as RecordedRequest;
  const fail = (status: number, code: string, message: string): void => {
    record.status = status;
    record.errorCode = code;
    // Docker registry error format, which is what registry clients parse here.
    sendPlainJson(res, status, { errors: [{ code, message }] });
  };
  const match = /^repository:([^/:]+)\/([^:]+):([a-z,*]+)$/.exec(url.searchParams.get('scope') ?? '');
  if (!match) return fail(400, 'NAME_INVALID', 'scope must be repository:<alias>/<name>:pull');
  const [, alias, name, actions] = match;
  if (actions !== 'pull') return fail(401, 'DENIED', 'anonymous tokens only grant pull');
  if (alias !== ctx.options.registryAlias || !ctx.store.hasRepository(name ?? '')) {
    return fail(404, 'NAME_UNKNOWN', `repository ${alias}/${name} not found`);
  }
  sendPlainJson(res, 200, { token: randomBytes(32).toString('base64url') });
}

function handleLogo(ctx: Context, hash: string, res: ServerResponse): void {
  const bytes = ctx.store.logo(hash);
  if (!bytes) return sendPlainJson(res, 404, { message: 'logo not found' });
  res.writeHead(200, { 'Content-Type': 'image/png', 'Content-Length': bytes.length });
  res.end(bytes);
}

function route(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> | void {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  const logo = /^\/logo\/([0-9a-f]{64})\.png$/.exec(url.pathname)?.[1];
  if (req.method === 'POST' && url.pathname === '/') return handleApi(ctx, req, res);
  // Health probes are not recorded, so readiness polling never skews request counts.
  if (req.method === 'GET' && url.pathname === '/health') return sendPlainJson(res, 200, { status: 'ok' });
  if (req.method === 'GET' && (url.pathname === '/token' || url.pathname === '/token/')) return handleToken(ctx, url, res);
  if (req.method === 'GET' && logo) return handleLogo(ctx, logo, res);
  sendPlainJson(res, 404, { message: `No route for ${req.method ?? '?'} ${url.pathname}` });
}

function listen(server: ReturnType<typeof createServer>, host: string, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

function closeServer(server: ReturnType<typeof createServer>): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    // Keep-alive and in-flight connections (the SDKs pool sockets) would otherwise hold close() open.
    server.closeAllConnections();
  });
}

export async function startEcrPublicServer(options: EcrPublicServerOptions): Promise<EcrPublicServer> {
  let baseUrl = '';
  const store = new EcrPublicStore({
    accountId: options.accountId,
    registryAlias: options.registryAlias,
    repositoryLimit: options.repositoryLimit,
    logoUrl: (hash) => `${baseUrl}/logo/${hash}.png`,
  });
  const ctx: Context = { store, options, log: [], faults: new Map() };
  const server = createServer((req, res) => {
    Promise.resolve(route(ctx, req, res)).catch((error: unknown) => {
      if (!res.headersSent) sendPlainJson(res, 500, { message: String(error) });
    });
  });
  let closing: Promise<void> | undefined;
  const port = await listen(server, options.host, options.port);
  const hostPart = options.host.includes(':') ? `[${options.host}]` : options.host;
  baseUrl = `http://${hostPart}:${port}`;
  return {
    url: baseUrl,
    port,
    region: options.region,
    requests: () => ctx.log.map((entry) => ({ ...entry })),
    resetRequestLog: () => void (ctx.log.length = 0),
    setImageCount: (name, count) => store.setImageCount(name, count),
    clearCatalogData: (name) => store.clearCatalogData(name),
    injectServerFault: (operation, times = 1) => void ctx.faults.set(operation, times),
    // Idempotent, so test cleanup hooks may call it again after a test already did.
    close: () => (closing ??= closeServer(server)),
  };
}
