import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createMessage, generateKey, sign, type PrivateKey } from 'openpgp';
import { sandboxCertificate } from '../../sandbox/tls.js';

/**
 * A local HTTPS server laid out like the upstream release sites: `files` maps a path to
 * what it serves (a function answers dynamically, e.g. with the server's own URL); any
 * other path is a 404. Clients trust it through `caFile` (NODE_EXTRA_CA_CERTS for Node,
 * SSL_CERT_FILE for terraform), as they would a corporate proxy's authority.
 */
export interface ReleaseServer {
  url: string;
  caFile: string;
  dir: string;
  files: Map<string, Uint8Array | string | ((url: string) => string)>;
  /** The paths asked for, in order. */
  requests: string[];
  close(): Promise<void>;
}

export async function startReleaseServer(): Promise<ReleaseServer> {
  const dir = await mkdtemp(join(tmpdir(), 'release-server-'));
  const tls = await sandboxCertificate(dir, '127.0.0.1');
  const files: ReleaseServer['files'] = new Map();
  const requests: string[] = [];
  let url = '';
  const server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    const path = new URL(req.url ?? '/', url).pathname;
    requests.push(path);
    const body = files.get(path);
    if (body === undefined) {
      res.writeHead(404).end('not found');
      return;
    }
    res.writeHead(200).end(typeof body === 'function' ? body(url) : body);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = async (): Promise<void> => {
    server.closeAllConnections();
    server.close();
    await rm(dir, { recursive: true, force: true });
  };
  return { url, caFile: tls.certFile, dir, files, requests, close };
}

export interface TestKey {
  privateKey: PrivateKey;
  armoredPublicKey: string;
  /** The primary key's short ID, upper case, as HashiCorp names its signature files. */
  shortId: string;
}

/** A throwaway OpenPGP key that a test trusts in place of HashiCorp's. */
export async function testKey(name: string): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKey({ type: 'ecc', userIDs: [{ name }], format: 'object' });
  return { privateKey, armoredPublicKey: publicKey.armor(), shortId: publicKey.getFingerprint().slice(-8).toUpperCase() };
}

/** A binary detached signature, the form of HashiCorp's `.sig` files. */
export async function detachedSignature(key: TestKey, data: Uint8Array): Promise<Uint8Array> {
  // openpgp types the binary result through its stream types, which resolve to any here.
  const signature = (await sign({
    message: await createMessage({ binary: data }),
    signingKeys: key.privateKey,
    detached: true,
    format: 'binary',
  })) as Uint8Array;
  return signature;
}

export function sha256(data: Uint8Array): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A line of a `sha256sum`-format checksums file. */
export function sumsLine(data: Uint8Array, name: string): string {
  return `${sha256(data)}  ${name}\n`;
}

/** A shell script standing in for a release binary: it prints `banner`. */
export function fakeBinary(banner: string): string {
  return `#!/bin/sh\necho "${banner}"\n`;
}

/** A real zip holding `entries` (name -> text), each executable, made by Python's zipfile (python3 is a project prerequisite). */
export async function zipOf(dir: string, entries: Record<string, string>): Promise<Buffer> {
  const work = await mkdtemp(join(dir, 'zip-'));
  const zip = join(work, 'out.zip');
  const names = Object.keys(entries);
  for (const name of names) await writeFile(join(work, name), entries[name] ?? '', { mode: 0o755 });
  const script = [
    'import sys, zipfile, os',
    'with zipfile.ZipFile(sys.argv[1], "w", zipfile.ZIP_DEFLATED) as z:',
    '    for n in sys.argv[3:]: z.write(os.path.join(sys.argv[2], n), n)',
  ].join('\n');
  execFileSync('python3', ['-c', script, zip, work, ...names]);
  return readFile(zip);
}
