import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, symlink, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { terraformPlatform } from '../../lib/tools/cache.js';
import { resolveTools } from '../../lib/tools/resolve.js';
import {
  detachedSignature,
  fakeBinary,
  startReleaseServer,
  sumsLine,
  testKey,
  zipOf,
  type ReleaseServer,
  type TestKey,
} from '../support/release-server.js';
import { statusOf, toolSandbox } from '../support/tool-sandbox.js';
import { suiteTools } from '../support/tools.js';

/**
 * The AWS provider's download: the pinned terraform's `providers mirror` against a local
 * HTTPS server speaking the provider registry protocol, which a CLI config `host` block
 * puts in place of registry.terraform.io. terraform trusts the server through
 * SSL_CERT_FILE and checks the registry's SHA256SUMS signature with the keys it lists.
 */
const [os, arch] = terraformPlatform().split('_') as [string, string];
const version = '6.47.0';
const zipName = `terraform-provider-aws_${version}_${os}_${arch}.zip`;
const member = `terraform-provider-aws_v${version}_x5`;

let server: ReleaseServer;
let registryKey: TestKey;
let otherKey: TestKey;
let pkg: Buffer;
let terraform: string;

before(async () => {
  terraform = (await suiteTools(['terraform'])).terraform;
  server = await startReleaseServer();
  [registryKey, otherKey] = await Promise.all([testKey('registry'), testKey('other')]);
  pkg = await zipOf(server.dir, { [member]: fakeBinary('provider'), 'LICENSE.txt': 'MPL-2.0' });
});
after(() => server.close());

/** The registry's provider protocol: versions, then one download answer naming the zip, its SHA256SUMS and their signature. */
async function publish(signer: TestKey): Promise<void> {
  const sums = sumsLine(pkg, zipName);
  const files = `/files/aws/${version}`;
  const api = '/v1/providers/hashicorp/aws';
  server.files.clear();
  server.files.set(`${api}/versions`, JSON.stringify({ versions: [{ version, protocols: ['5.0'], platforms: [{ os, arch }] }] }));
  server.files.set(`${api}/${version}/download/${os}/${arch}`, (url) =>
    JSON.stringify({
      protocols: ['5.0'],
      os,
      arch,
      filename: zipName,
      download_url: `${url}${files}/${zipName}`,
      shasums_url: `${url}${files}/SHA256SUMS`,
      shasums_signature_url: `${url}${files}/SHA256SUMS.sig`,
      shasum: sumsLine(pkg, zipName).split(' ')[0],
      signing_keys: { gpg_public_keys: [{ key_id: registryKey.shortId, ascii_armor: registryKey.armoredPublicKey }] },
    }),
  );
  server.files.set(`${files}/${zipName}`, pkg);
  server.files.set(`${files}/SHA256SUMS`, sums);
  server.files.set(`${files}/SHA256SUMS.sig`, await detachedSignature(signer, Buffer.from(sums)));
}

/** A tool sandbox that downloads, with the real terraform on its PATH and the registry replaced by the local server. */
async function providerSandbox() {
  const s = await toolSandbox();
  await symlink(terraform, join(s.pathDir, 'terraform'));
  const lockFile = join(s.project, 'tools.lock.json');
  const lock = JSON.parse(await readFile(lockFile, 'utf8')) as { terraformProvider: { version: string } };
  // Downloaded, the provider is the release tools.lock.json pins for real runs.
  lock.terraformProvider.version = version;
  await writeFile(lockFile, JSON.stringify(lock));
  const cliConfig = join(s.root, 'terraformrc');
  await writeFile(
    cliConfig,
    `host "registry.terraform.io" {\n  services = {\n    "providers.v1" = "${server.url}/v1/providers/"\n  }\n}\n`,
  );
  Object.assign(s.ctx.env, {
    PATH: `${s.pathDir}:/usr/bin:/bin`,
    TOOLS_BUILD_FROM_SOURCE: 'false',
    TF_CLI_CONFIG_FILE: cliConfig,
    SSL_CERT_FILE: server.caFile,
  });
  const target = join(
    s.cache,
    'provider-mirror',
    'registry.terraform.io',
    'hashicorp',
    'aws',
    version,
    terraformPlatform(),
    `terraform-provider-aws_v${version}`,
  );
  return { ...s, target };
}

describe('npm run tools: the AWS provider from its registry (terraform providers mirror)', () => {
  it('mirrors the signed release and puts its binary in the tools cache mirror, with the CLI config', async () => {
    await publish(registryKey);
    const s = await providerSandbox();
    const result = await resolveTools(s.ctx, { install: true, only: ['aws-provider'], tools: s.tools() }, { runner: s.runner });
    const status = statusOf(result, 'aws-provider');
    assert.equal(status.source, 'built', status.detail);
    assert.match(status.detail, /^downloaded from its registry \(terraform providers mirror checked its signature\) in /);
    assert.equal(status.path, s.target);
    assert.equal(await readFile(s.target, 'utf8'), fakeBinary('provider'));
    const mirror = s.commands.find((c) => c.includes('mirror')) ?? [];
    assert.equal(basename(mirror[0] ?? ''), 'terraform');
    assert.deepEqual(mirror.slice(2, 6), ['providers', 'mirror', '-no-color', `-platform=${terraformPlatform()}`]);
    assert.ok(existsSync(result.paths.cliConfigFile), 'the mirror is usable through the CLI config');
    assert.equal(existsSync(join(s.cache, 'download', `aws-provider-${version}`, 'mirror')), false, 'the package is not kept');
  });

  it('refuses a package whose SHA256SUMS the registry did not sign with a key it lists', async () => {
    await publish(otherKey);
    const s = await providerSandbox();
    const status = statusOf(
      await resolveTools(s.ctx, { install: true, only: ['aws-provider'], tools: s.tools() }, { runner: s.runner }),
      'aws-provider',
    );
    assert.equal(status.source, 'unavailable');
    assert.match(
      status.detail,
      new RegExp(`cannot download registry\\.terraform\\.io/hashicorp/aws ${version}: terraform .*providers mirror.* failed`),
    );
    assert.match(
      status.detail,
      /Failed to authenticate registry\.terraform\.io\/hashicorp\/aws v6\.47\.0 for\s+\S+: authentication signature from unknown issuer/,
    );
    assert.match(status.detail, /fix: .*TOOLS_BUILD_FROM_SOURCE=true/);
    assert.equal(existsSync(s.target), false);
  });
});
