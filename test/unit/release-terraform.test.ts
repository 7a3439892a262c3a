import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { terraformPlatform } from '../../lib/tools/cache.js';
import { runCli } from '../support/cli.js';
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

/**
 * `npm run tools -- --only terraform` against a local HTTPS server laid out like
 * HashiCorp's releases site, signed with a test key the run trusts in place of HashiCorp's
 * (TOOLS_HASHICORP_KEY_FILE). Each refusal is of a release that would install and run
 * fine without the check that refuses it: the tampered binaries still print the pinned version.
 */
const version = '1.14.5';
const dir = `/hashicorp/terraform/${version}`;
const zipName = `terraform_${version}_${terraformPlatform()}.zip`;
const sumsName = `terraform_${version}_SHA256SUMS`;

let server: ReleaseServer;
let trusted: TestKey;
let stranger: TestKey;
let keyFile: string;
let good: Buffer;
let tampered: Buffer;
let goodSums: string;

before(async () => {
  server = await startReleaseServer();
  [trusted, stranger] = await Promise.all([testKey('trusted releases'), testKey('someone else')]);
  keyFile = join(server.dir, 'trusted.asc');
  await writeFile(keyFile, trusted.armoredPublicKey);
  good = await zipOf(server.dir, { terraform: fakeBinary(`Terraform v${version}`) });
  tampered = await zipOf(server.dir, { terraform: `${fakeBinary(`Terraform v${version}`)}echo tampered >&2\n` });
  goodSums = `${sumsLine(Buffer.from('other'), `terraform_${version}_windows_amd64.zip`)}${sumsLine(good, zipName)}`;
});
after(() => server.close());

/** The upstream layout: zip, SHA256SUMS and the signature named after the trusted key's ID. */
async function publish(zip: Buffer, sums: string, signer: TestKey): Promise<string> {
  server.files.clear();
  server.files.set(`${dir}/${zipName}`, zip);
  server.files.set(`${dir}/${sumsName}`, sums);
  const signaturePath = `${dir}/${sumsName}.${trusted.shortId}.sig`;
  server.files.set(signaturePath, await detachedSignature(signer, Buffer.from(sums)));
  return signaturePath;
}

async function installTerraform() {
  const home = await mkdtemp(join(server.dir, 'home-'));
  const cache = join(home, 'cache');
  const r = await runCli(['tools', '--only', 'terraform'], {
    // No terraform on this PATH: only unzip and sh, so the resolver must install one.
    PATH: '/usr/bin:/bin',
    HOME: home,
    TOOLS_CACHE_DIR: cache,
    TOOLS_HASHICORP_RELEASES_URL: `${server.url}/hashicorp`,
    // The download way, whatever the suite's own tools came from.
    TOOLS_SOURCE_DIR: '',
    TOOLS_BUILD_FROM_SOURCE: 'false',
    TOOLS_HASHICORP_KEY_FILE: keyFile,
    NODE_EXTRA_CA_CERTS: server.caFile,
  });
  const binary = join(cache, 'bin', 'terraform', version, 'terraform');
  return { ...r, output: `${r.stdout}${r.stderr}`, cache, binary };
}

describe('npm run tools: terraform from HashiCorp-style releases', () => {
  it('installs the release whose SHA256SUMS the trusted key signed, into the cache layout', async () => {
    await publish(good, goodSums, trusted);
    const r = await installTerraform();
    assert.equal(r.code, 0, r.output);
    assert.equal(execFileSync(r.binary, ['version'], { encoding: 'utf8' }), `Terraform v${version}\n`);
    assert.match(
      r.output,
      new RegExp(`^terraform\\s+${version}\\s+built\\s+${r.binary}\\s+downloaded, signature and checksum verified,`, 'm'),
    );
    assert.deepEqual(server.requests.slice(-3), [`${dir}/${sumsName}`, `${dir}/${sumsName}.${trusted.shortId}.sig`, `${dir}/${zipName}`]);
    assert.equal(existsSync(join(r.cache, 'download', `terraform-${version}`, 'files')), false, 'the downloaded files are removed');
  });

  it('refuses a zip whose sha256 is not the one SHA256SUMS lists, naming the file and the offline fix', async () => {
    await publish(tampered, goodSums, trusted);
    const r = await installTerraform();
    assert.equal(r.code, 1, r.output);
    assert.match(
      r.output,
      new RegExp(`refusing ${server.url}${dir}/${zipName}: its sha256 is [0-9a-f]{64}, but ${server.url}${dir}/${sumsName} lists`),
    );
    assert.match(r.output, /fix: .*export TOOLS_BUILD_FROM_SOURCE=true \(and TOOLS_SOURCE_DIR=/);
    assert.equal(existsSync(r.binary), false, 'nothing was installed');
  });

  it('refuses a SHA256SUMS rewritten to match a tampered zip: the signature covers it', async () => {
    const signedSums = goodSums;
    await publish(tampered, signedSums, trusted);
    // The server swaps in checksums that vouch for the tampered zip, keeping the signature over the real ones.
    server.files.set(`${dir}/${sumsName}`, sumsLine(tampered, zipName));
    const r = await installTerraform();
    assert.equal(r.code, 1, r.output);
    assert.match(
      r.output,
      new RegExp(`refusing ${server.url}${dir}/${sumsName}: .*\\.sig is not a valid signature over it by the trusted key`),
    );
    assert.equal(existsSync(r.binary), false);
  });

  it('refuses a SHA256SUMS signed by another key, before fetching the zip', async () => {
    const signature = await publish(good, goodSums, stranger);
    const before = server.requests.length;
    const r = await installTerraform();
    assert.equal(r.code, 1, r.output);
    assert.match(
      r.output,
      new RegExp(
        `refusing ${server.url}${dir}/${sumsName}: ${server.url}${signature} is not a valid signature over it by the trusted key [0-9A-F]{40} \\(${keyFile}\\)`,
      ),
    );
    assert.match(r.output, /fix: .*TOOLS_HASHICORP_KEY_FILE.*TOOLS_BUILD_FROM_SOURCE=true/);
    assert.ok(!server.requests.slice(before).includes(`${dir}/${zipName}`), 'the zip was never fetched');
    assert.equal(existsSync(r.binary), false);
  });

  it('stops at a missing file (HTTP 404), naming its URL, the status and the offline settings', async () => {
    const signature = await publish(good, goodSums, trusted);
    server.files.delete(signature);
    const r = await installTerraform();
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, new RegExp(`cannot download ${server.url}${signature}: the server answered HTTP 404 Not Found`));
    assert.match(r.output, /fix: check the pin in \.tool-versions .*export TOOLS_BUILD_FROM_SOURCE=true \(and TOOLS_SOURCE_DIR=/);
    assert.equal(existsSync(r.binary), false);
  });

  it('a bad download setting stops the task before any download, exit 64; deploy settings are not its to check', async () => {
    const before = server.requests.length;
    const r = await runCli(['tools', '--only', 'terraform'], {
      PATH: '/usr/bin:/bin',
      HOME: server.dir,
      TOOLS_CACHE_DIR: join(server.dir, 'unused-cache'),
      TOOLS_HASHICORP_RELEASES_URL: `http://127.0.0.1:1/hashicorp`,
      TOOLS_BUILD_FROM_SOURCE: 'yes',
      // A deploy setting the tools task does not read: never validated, never reported.
      DEPLOY_STATE_BUCKET: 'Not_A_Bucket',
    });
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, /Invalid configuration \(2 problems\)/);
    assert.doesNotMatch(r.stderr, /DEPLOY_STATE_BUCKET/);
    assert.match(r.stderr, /TOOLS_BUILD_FROM_SOURCE="yes": must be true or false/);
    assert.match(r.stderr, /TOOLS_HASHICORP_RELEASES_URL="http:\/\/127\.0\.0\.1:1\/hashicorp": must be an https:\/\/ URL/);
    assert.equal(server.requests.length, before);
  });
});
