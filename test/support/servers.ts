import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer as createHttpsServer } from 'node:https';
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sandboxCertificate } from '../../sandbox/tls.js';

/** A loopback endpoint that accepts TCP connections and never answers (no TLS handshake, no bytes). */
export interface SilentServer {
  url: string;
  /** Connections accepted so far. */
  accepted(): number;
  /** Resolves at the next accepted connection (readiness, not a delay). */
  nextConnection(): Promise<void>;
  close(): Promise<void>;
}

export async function silentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let count = 0;
  const server: Server = createServer((socket) => {
    count += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    accepted: () => count,
    nextConnection: () => once(server, 'connection').then(() => undefined),
    close: async () => {
      for (const s of sockets) s.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}

/** An https URL on a loopback port nothing listens on: connections are refused at once. */
export async function refusedUrl(): Promise<string> {
  const server = createServer();
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  server.close();
  await once(server, 'close');
  return `https://127.0.0.1:${port}`;
}

/** What an {@link okServer} answers, changeable between requests. */
export interface OkAnswer {
  body: string;
  headers: Record<string, string>;
  /** The HTTP status; 200 unless given (a failing service's 500, say). */
  status?: number;
}

/**
 * A loopback HTTPS endpoint that answers every request (HEAD too) with HTTP 200 and `answer`,
 * as a captive portal, a proxy's page or another service does. Its certificate is `certFile`
 * (for AWS_CA_BUNDLE); `methods()` lists the requests seen.
 */
export async function okServer(answer: OkAnswer): Promise<{ url: string; certFile: string; methods(): string[]; close(): Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'ok-server-'));
  const tls = await sandboxCertificate(dir, '127.0.0.1');
  const seen: string[] = [];
  const server = createHttpsServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    seen.push(req.method ?? '?');
    req.resume();
    res.writeHead(answer.status ?? 200, { 'content-type': 'text/html', ...answer.headers });
    res.end(req.method === 'HEAD' ? undefined : answer.body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `https://127.0.0.1:${port}`,
    certFile: tls.certFile,
    methods: () => [...seen],
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
