import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { terraformPlatform } from '../../lib/tools/cache.js';
import { readToolsLock } from '../../lib/tools/tools-lock.js';
import { runCli } from '../support/cli.js';
import { fakeBinary, startReleaseServer, sumsLine, zipOf, type ReleaseServer } from '../support/release-server.js';

/**
 * `npm run tools` for the GitHub-released tools against a local HTTPS server laid out
 * like GitHub's release downloads (`<owner>/<repo>/releases/download/v<ver>/<file>`).
 * The refused binaries print the pinned version: only the checksum check stops them.
 */
const platform = terraformPlatform();
const terragrunt = { version: '0.99.2', dir: '/github/gruntwork-io/terragrunt/releases/download/v0.99.2' };
const terragruntFile = `terragrunt_${platform}`;

let server: ReleaseServer;
let lock: Awaited<ReturnType<typeof readToolsLock>>;

before(async () => {
  server = await startReleaseServer();
  lock = await readToolsLock(process.cwd());
});
after(() => server.close());

async function install(only: string[]) {
  const home = await mkdtemp(join(server.dir, 'home-'));
  const cache = join(home, 'cache');
  const r = await runCli(['tools', '--only', ...only], {
    PATH: '/usr/bin:/bin',
    HOME: home,
    TOOLS_CACHE_DIR: cache,
    TOOLS_GITHUB_URL: `${server.url}/github`,
    // The download way, whatever the suite's own tools came from.
    TOOLS_SOURCE_DIR: '',
    TOOLS_BUILD_FROM_SOURCE: 'false',
    NODE_EXTRA_CA_CERTS: server.caFile,
  });
  return { ...r, output: `${r.stdout}${r.stderr}`, cache };
}

function publishTerragrunt(binary: string, sums: string): void {
  server.files.clear();
  server.files.set(`${terragrunt.dir}/${terragruntFile}`, binary);
  server.files.set(`${terragrunt.dir}/SHA256SUMS`, sums);
}

describe('npm run tools: terragrunt from GitHub-style releases', () => {
  const genuine = fakeBinary(`terragrunt version v${terragrunt.version}`);
  const altered = `${genuine}echo altered >&2\n`;
  const installed = (cache: string): string => join(cache, 'bin', 'terragrunt', terragrunt.version, 'terragrunt');

  it('installs the binary whose sha256 SHA256SUMS lists', async () => {
    publishTerragrunt(
      genuine,
      `${sumsLine(Buffer.from('x'), `${terragruntFile}.tar.gz`)}${sumsLine(Buffer.from(genuine), terragruntFile)}`,
    );
    const r = await install(['terragrunt']);
    assert.equal(r.code, 0, r.output);
    assert.equal(execFileSync(installed(r.cache), ['--version'], { encoding: 'utf8' }), `terragrunt version v${terragrunt.version}\n`);
    assert.match(r.output, /^terragrunt\s+0\.99\.2\s+built\s+\S+\s+downloaded, checksum verified,/m);
  });

  it('refuses a binary whose sha256 is not the listed one, naming the file, and installs nothing', async () => {
    publishTerragrunt(altered, sumsLine(Buffer.from(genuine), terragruntFile));
    const r = await install(['terragrunt']);
    assert.equal(r.code, 1, r.output);
    const url = `${server.url}${terragrunt.dir}/${terragruntFile}`;
    assert.match(r.output, new RegExp(`refusing ${url}: its sha256 is [0-9a-f]{64}, but ${server.url}${terragrunt.dir}/SHA256SUMS lists`));
    assert.match(r.output, /fix: .*export TOOLS_BUILD_FROM_SOURCE=true/);
    assert.equal(existsSync(installed(r.cache)), false);
  });

  it('refuses a release whose SHA256SUMS lists no hash for the file, before downloading it', async () => {
    publishTerragrunt(genuine, sumsLine(Buffer.from(genuine), `${terragruntFile}.zip`));
    const before = server.requests.length;
    const r = await install(['terragrunt']);
    assert.equal(r.code, 1, r.output);
    assert.match(r.output, new RegExp(`${server.url}${terragrunt.dir}/SHA256SUMS lists no sha256 for ${terragruntFile}`));
    assert.deepEqual(server.requests.slice(before), [`${terragrunt.dir}/SHA256SUMS`]);
    assert.equal(existsSync(installed(r.cache)), false);
  });
});

describe('npm run tools: tflint, its AWS ruleset and actionlint from GitHub-style releases', () => {
  it('takes each binary out of its zip or tar.gz and puts it where the tasks look', async () => {
    const { tflint, actionlint } = lock.go;
    const ruleset = lock.go['tflint-ruleset-aws'];
    const base = (repo: string, v: string) => `/github/${repo}/releases/download/v${v}`;
    const tflintZip = await zipOf(server.dir, { tflint: fakeBinary(`TFLint version ${tflint.version}`) });
    const rulesetZip = await zipOf(server.dir, { 'tflint-ruleset-aws': fakeBinary('plugin') });
    const actionlintTar = await tarGzOf({ actionlint: fakeBinary(actionlint.version), 'README.md': 'readme', 'LICENSE.txt': 'mit' });
    const actionlintName = `actionlint_${actionlint.version}_${platform}.tar.gz`;
    server.files.clear();
    const publish = (dir: string, name: string, body: Buffer, sums: string): void => {
      server.files.set(`${dir}/${name}`, body);
      server.files.set(`${dir}/${sums}`, sumsLine(body, name));
    };
    publish(base('terraform-linters/tflint', tflint.version), `tflint_${platform}.zip`, tflintZip, 'checksums.txt');
    publish(
      base('terraform-linters/tflint-ruleset-aws', ruleset.version),
      `tflint-ruleset-aws_${platform}.zip`,
      rulesetZip,
      'checksums.txt',
    );
    publish(base('rhysd/actionlint', actionlint.version), actionlintName, actionlintTar, `actionlint_${actionlint.version}_checksums.txt`);
    const r = await install(['tflint', 'tflint-ruleset-aws', 'actionlint']);
    assert.equal(r.code, 0, r.output);
    // Where tflint looks for the plugin .tflint.hcl declares with source and version.
    const plugin = join(
      r.cache,
      'tflint-plugins',
      `aws-${ruleset.version}`,
      'github.com/terraform-linters/tflint-ruleset-aws',
      ruleset.version,
      'tflint-ruleset-aws',
    );
    assert.equal(await readFile(plugin, 'utf8'), fakeBinary('plugin'));
    assert.equal(
      execFileSync(join(r.cache, 'bin', 'tflint', tflint.version, 'tflint'), { encoding: 'utf8' }),
      `TFLint version ${tflint.version}\n`,
    );
    const actionlintBin = join(r.cache, 'bin', 'actionlint', actionlint.version, 'actionlint');
    assert.equal(execFileSync(actionlintBin, { encoding: 'utf8' }), `${actionlint.version}\n`);
    assert.equal(
      existsSync(join(r.cache, 'download', `actionlint-${actionlint.version}`, 'bin', 'README.md')),
      false,
      'only the binary is taken out',
    );
  });
});

/** A real tar.gz made by the system tar, the way GoReleaser lays out actionlint's. */
async function tarGzOf(entries: Record<string, string>): Promise<Buffer> {
  const work = await mkdtemp(join(server.dir, 'tar-'));
  await mkdir(join(work, 'in'));
  for (const [name, text] of Object.entries(entries)) await writeFile(join(work, 'in', name), text, { mode: 0o755 });
  execFileSync('tar', ['-czf', join(work, 'out.tar.gz'), '-C', join(work, 'in'), ...Object.keys(entries)]);
  return readFile(join(work, 'out.tar.gz'));
}
