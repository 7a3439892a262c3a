import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { registryAlias, readRepository } from '../../lib/aws/ecr-public.js';
import { loadConfig } from '../../lib/config/load.js';
import { TaskError } from '../../lib/core/errors.js';
import { createMemoryLogger } from '../support/context.js';
import { convergeStateBucket, stateBucketExists } from '../../lib/state-bucket/converge.js';
import { readToolVersions } from '../../lib/tools/tool-versions.js';
import { writeAwsHome } from '../support/aws-home.js';
import { assertNoSecrets, cliOf, registerSecret } from '../support/cli.js';
import { silentServer, type SilentServer } from '../support/servers.js';
import { stubTools } from '../support/stub-tools.js';

// Every AWS call against a loopback endpoint that accepts the connection and never answers.
// Each test has a bound of its own, so a regression fails instead of hanging the suite. No
// test times itself: the bound under test is 1 s (its message says so) or a signal, where an
// unbounded call would wait for the 30 s test bound (the signal cases configure 60 s).
const bound = { timeout: 30_000 };
let silent: SilentServer;
let home: string;
let stubs: Awaited<ReturnType<typeof stubTools>>;
const credentials = { accessKeyId: 'AKIDBOUNDS', secretAccessKey: 'bounds-secret-access-key' };
registerSecret(credentials.secretAccessKey);

before(async () => {
  silent = await silentServer();
  home = await mkdtemp(join(tmpdir(), 'aws-bounds-'));
  await writeAwsHome(home);
  stubs = await stubTools(await readToolVersions(process.cwd()));
});
after(async () => {
  await silent.close();
  await rm(home, { recursive: true, force: true });
  await rm(stubs.dir, { recursive: true, force: true });
});

function env(extra: Record<string, string>): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: home,
    NO_COLOR: '1',
    CI: 'true',
    TOOLS_CACHE_DIR: join(home, 'tools'),
    DEPLOY_TERRAFORM_PATH: stubs.terraform,
    DEPLOY_TERRAGRUNT_PATH: stubs.terragrunt,
    AWS_EC2_METADATA_DISABLED: 'true',
    ...extra,
  };
}

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the CLI; when `signal` is given, sends it as soon as the silent endpoint is connected to. */
async function run(args: string[], environment: Record<string, string>, signal?: NodeJS.Signals): Promise<Outcome> {
  const connected = silent.nextConnection();
  const child = spawn(process.execPath, [cliOf(process.cwd()), ...args], { env: environment, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  void connected.then(() => {
    if (signal === undefined || child.exitCode !== null) return;
    child.kill(signal);
  });
  const [code] = (await once(child, 'close')) as [number | null];
  assertNoSecrets(stdout + stderr, `output of ${args.join(' ')}`);
  return { code, stdout, stderr };
}

const keys = { AWS_ACCESS_KEY_ID: credentials.accessKeyId, AWS_SECRET_ACCESS_KEY: credentials.secretAccessKey };

describe('every AWS call is bounded by DEPLOY_AWS_TIMEOUT_SECONDS', () => {
  test('a silent STS endpoint fails at the bound, naming the endpoint and the setting', bound, async () => {
    const r = await run(['plan'], env({ ...keys, AWS_ENDPOINT_URL_STS: silent.url, DEPLOY_AWS_TIMEOUT_SECONDS: '1' }));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`No answer from the STS endpoint ${silent.url} \\(AWS_ENDPOINT_URL_STS\\) within 1s`));
    assert.match(r.stderr, /fix: .*DEPLOY_AWS_TIMEOUT_SECONDS/);
  });

  test('a silent SSO portal: the credential lookup has the same bound', bound, async () => {
    const r = await run(['plan', '--profile', 'sso-dev'], env({ AWS_ENDPOINT_URL_SSO: silent.url, DEPLOY_AWS_TIMEOUT_SECONDS: '1' }));
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`no answer from the AWS SSO portal in us-east-1 \\(AWS_ENDPOINT_URL_SSO=${silent.url}\\)`));
  });

  test('silent S3 and ECR Public endpoints fail within the bound, naming the endpoint and the setting', bound, async () => {
    const config = loadConfig(
      {},
      { AWS_ENDPOINT_URL_S3: silent.url, AWS_ENDPOINT_URL_ECR_PUBLIC: silent.url, DEPLOY_AWS_TIMEOUT_SECONDS: '1' },
    );
    const scope = { config, signal: new AbortController().signal };
    const calls: Array<[string, () => Promise<unknown>, RegExp]> = [
      ['HeadBucket', () => stateBucketExists(scope, credentials, '123456789012'), /S3 endpoint .* \(AWS_ENDPOINT_URL_S3\) within 1s/],
      ['converge', () => convergeStateBucket(config, credentials, '123456789012', createMemoryLogger()), /AWS_ENDPOINT_URL_S3/],
      ['DescribeRegistries', () => registryAlias(scope, credentials), /ECR Public endpoint .* \(AWS_ENDPOINT_URL_ECR_PUBLIC\) within 1s/],
      ['DescribeRepositories', () => readRepository(scope, credentials), /AWS_ENDPOINT_URL_ECR_PUBLIC/],
    ];
    for (const [name, call, message] of calls) {
      await assert.rejects(call(), (error: unknown) => {
        assert.ok(error instanceof TaskError, `${name}: ${String(error)}`);
        assert.equal(error.code, 'ENDPOINT_SILENT');
        assert.match(error.message, message);
        return true;
      });
    }
  });

  test('doctor exits once it has printed (no socket keeps it alive), every AWS check failing with the endpoint', bound, async () => {
    const r = await run(
      ['doctor'],
      env({
        ...keys,
        AWS_ENDPOINT_URL_STS: silent.url,
        AWS_ENDPOINT_URL_S3: silent.url,
        AWS_ENDPOINT_URL_ECR_PUBLIC: silent.url,
        DEPLOY_PUBLIC_TOKEN_URL: `${silent.url}/token/`,
        DEPLOY_AWS_TIMEOUT_SECONDS: '1',
      }),
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stdout, /FAIL +AWS credentials +No answer from the STS endpoint/);
  });
});

describe('SIGINT and SIGTERM during an AWS call', () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    test(`${signal} during STS and during the SSO lookup: exit 130, not the 60 s bound`, bound, async () => {
      const sts = await run(['plan'], env({ ...keys, AWS_ENDPOINT_URL_STS: silent.url, DEPLOY_AWS_TIMEOUT_SECONDS: '60' }), signal);
      assert.equal(sts.code, 130, sts.stderr);
      assert.match(sts.stderr, /Interrupted while waiting for the STS endpoint/);
      const sso = await run(
        ['plan', '--profile', 'sso-dev'],
        env({ AWS_ENDPOINT_URL_SSO: silent.url, DEPLOY_AWS_TIMEOUT_SECONDS: '60' }),
        signal,
      );
      assert.equal(sso.code, 130, sso.stderr);
      assert.match(sso.stderr, /Interrupted while waiting for the AWS SSO portal/);
    });
  }

  test('the task signal stops S3 and ECR Public calls at once, as interrupted (130)', bound, async () => {
    const config = loadConfig(
      {},
      { AWS_ENDPOINT_URL_S3: silent.url, AWS_ENDPOINT_URL_ECR_PUBLIC: silent.url, DEPLOY_AWS_TIMEOUT_SECONDS: '60' },
    );
    for (const call of [
      (signal: AbortSignal) => stateBucketExists({ config, signal }, credentials, '123456789012'),
      (signal: AbortSignal) => registryAlias({ config, signal }, credentials),
    ]) {
      const controller = new AbortController();
      void silent.nextConnection().then(() => controller.abort());
      await assert.rejects(call(controller.signal), (error: unknown) => {
        assert.ok(error instanceof TaskError, String(error));
        assert.equal(error.exitCode, 130);
        return true;
      });
    }
  });
});
