import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readToolVersions } from '../../lib/tools/tool-versions.js';
import { sandboxCertificate } from '../../sandbox/tls.js';
import { registerSecret, runCli } from '../support/cli.js';
import { stubTools } from '../support/stub-tools.js';

let dir: string;
let server: Server;
let requests = 0;
let stubs: Awaited<ReturnType<typeof stubTools>>;
let trustedByNode: string;
let corporate: string;
const keys = { AWS_ACCESS_KEY_ID: 'AKIDCABUNDLE', AWS_SECRET_ACCESS_KEY: 'ca-bundle-secret-access-key' };
registerSecret(keys.AWS_SECRET_ACCESS_KEY);

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'ca-bundle-'));
  // Two unrelated authorities: the endpoint's, which Node trusts by default here (NODE_EXTRA_CA_CERTS
  // stands in for the system's), and a corporate proxy's, which AWS_CA_BUNDLE names.
  const endpointCa = await sandboxCertificate(await mkdtemp(join(dir, 'endpoint-')), '127.0.0.1');
  trustedByNode = endpointCa.certFile;
  corporate = (await sandboxCertificate(await mkdtemp(join(dir, 'corporate-')), '127.0.0.1')).certFile;
  server = createServer({ key: endpointCa.key, cert: endpointCa.cert }, (_req, res) => {
    requests += 1;
    res.statusCode = 503;
    res.end();
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  stubs = await stubTools(await readToolVersions(process.cwd()));
});
after(async () => {
  server.close();
  await rm(dir, { recursive: true, force: true });
  await rm(stubs.dir, { recursive: true, force: true });
});

test('AWS_CA_BUNDLE adds to the certificate authorities Node trusts; it does not replace them', async () => {
  const r = await runCli(['plan'], {
    ...keys,
    HOME: dir,
    TOOLS_CACHE_DIR: join(dir, 'tools'),
    DEPLOY_TERRAFORM_PATH: stubs.terraform,
    DEPLOY_TERRAGRUNT_PATH: stubs.terragrunt,
    AWS_ENDPOINT_URL_STS: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    AWS_CA_BUNDLE: corporate,
    NODE_EXTRA_CA_CERTS: trustedByNode,
    DEPLOY_AWS_TIMEOUT_SECONDS: '5',
  });
  // The TLS handshake succeeded and STS was asked (it answers 503 here); no certificate error.
  assert.ok(requests > 0, r.stderr);
  assert.doesNotMatch(r.stderr, /certificate/i);
  assert.match(r.stderr, /Could not confirm credentials with STS GetCallerIdentity/);
});
