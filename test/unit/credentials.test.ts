import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readToolVersions } from '../../lib/tools/tool-versions.js';
import { writeAwsHome } from '../support/aws-home.js';
import { registerSecret, runCli } from '../support/cli.js';
import { okServer, refusedUrl } from '../support/servers.js';
import { stubTools } from '../support/stub-tools.js';

// Credential failures say what is true, and a named profile never falls through to other sources.
let home: string;
let stubs: Awaited<ReturnType<typeof stubTools>>;
let refused: string;
let imds: Server;
let imdsRequests = 0;
const keys = { AWS_ACCESS_KEY_ID: 'AKIDENVIRONMENT', AWS_SECRET_ACCESS_KEY: 'environment-secret-access-key' };
registerSecret(keys.AWS_SECRET_ACCESS_KEY);

before(async () => {
  home = await mkdtemp(join(tmpdir(), 'credentials-'));
  await writeAwsHome(home);
  stubs = await stubTools(await readToolVersions(process.cwd()));
  refused = await refusedUrl();
  // Instance metadata on loopback: a fall-through to it is seen here (it answers nothing useful).
  imds = createServer((_req, res) => {
    imdsRequests += 1;
    res.statusCode = 404;
    res.end();
  });
  imds.listen(0, '127.0.0.1');
  await once(imds, 'listening');
});
after(async () => {
  imds.close();
  await rm(home, { recursive: true, force: true });
  await rm(stubs.dir, { recursive: true, force: true });
});

function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    TOOLS_CACHE_DIR: join(home, 'tools'),
    DEPLOY_TERRAFORM_PATH: stubs.terraform,
    DEPLOY_TERRAGRUNT_PATH: stubs.terragrunt,
    AWS_EC2_METADATA_SERVICE_ENDPOINT: `http://127.0.0.1:${(imds.address() as AddressInfo).port}`,
    AWS_ENDPOINT_URL_STS: refused,
    AWS_ENDPOINT_URL_S3: refused,
    DEPLOY_AWS_TIMEOUT_SECONDS: '5',
    ...extra,
  };
}

describe('credential failures', () => {
  test('a profile that does not exist says so and lists those that do; never env keys or instance metadata', async () => {
    imdsRequests = 0;
    const r = await runCli(['plan', '--profile', 'nope'], env(keys));
    assert.equal(r.code, 64, r.stderr);
    assert.match(
      r.stderr,
      /The AWS profile "nope" does not exist in the AWS config files \(profiles: sso-dev, sso-old, no-creds, static\)/,
    );
    assert.doesNotMatch(r.stderr, /aws sso login/);
    assert.doesNotMatch(r.stderr, /STS|AWS identity/);
    assert.equal(imdsRequests, 0, 'asked instance metadata');
  });

  test('a profile that cannot produce credentials fails; it never falls through to env keys or instance metadata', async () => {
    imdsRequests = 0;
    const r = await runCli(['plan', '--profile', 'no-creds'], env(keys));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /The AWS profile "no-creds" defines no credentials/);
    assert.match(r.stderr, /fix: .*aws configure sso --profile no-creds/);
    assert.doesNotMatch(r.stderr, /STS|AWS identity/);
    assert.equal(imdsRequests, 0, 'asked instance metadata');
  });

  test('an SSO portal that cannot be reached says so, and does not send the operator to log in', async () => {
    const r = await runCli(['plan', '--profile', 'sso-dev'], env({ AWS_ENDPOINT_URL_SSO: refused }));
    assert.equal(r.code, 1, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(
        `Cannot reach the AWS SSO portal in us-east-1 \\(AWS_ENDPOINT_URL_SSO=${refused}\\) for profile "sso-dev": .*ECONNREFUSED`,
      ),
    );
    assert.doesNotMatch(r.stderr, /aws sso login --profile/);
  });

  test('an expired SSO session says so, with the login command', async () => {
    const r = await runCli(['plan', '--profile', 'sso-old'], env());
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /The SSO session of profile "sso-old" has expired/);
    assert.match(r.stderr, /fix: Log in again: aws sso login --profile sso-old/);
  });

  test('a profile naming an sso_session that does not exist says which, with aws configure sso (no TypeError)', async () => {
    const config = join(home, 'config-lost-session');
    await writeFile(config, '[profile lost]\nsso_session = gone\nsso_account_id = 123456789012\nsso_role_name = Admin\n');
    const r = await runCli(['plan', '--profile', 'lost'], env({ AWS_CONFIG_FILE: config }));
    assert.equal(r.code, 64, r.stderr);
    assert.match(
      r.stderr,
      /The AWS profile "lost" names sso_session = gone, but the AWS config files have no \[sso-session gone\] section/,
    );
    assert.match(r.stderr, /fix: Create it with aws configure sso --profile lost/);
    assert.doesNotMatch(r.stderr, /TypeError|Unexpected error/);
  });

  test('an SSO portal that answers something unreadable says so and names the portal settings, not aws sso login', async () => {
    const portal = await okServer({ body: '<html>Sign in to the hotel network</html>', headers: {} });
    try {
      const r = await runCli(['plan', '--profile', 'sso-dev'], env({ AWS_ENDPOINT_URL_SSO: portal.url, AWS_CA_BUNDLE: portal.certFile }));
      assert.equal(r.code, 1, r.stderr);
      assert.match(
        r.stderr,
        new RegExp(
          `The answer of the AWS SSO portal in us-east-1 \\(AWS_ENDPOINT_URL_SSO=${portal.url}\\) for profile "sso-dev" could not be read`,
        ),
      );
      assert.match(r.stderr, /fix: Check the sso_start_url and sso_region of profile "sso-dev".*https:\/\/corp\.awsapps\.com\/start/);
      assert.doesNotMatch(r.stderr, /aws sso login --profile/);
    } finally {
      await portal.close();
    }
  });
});
