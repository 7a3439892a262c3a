import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readToolVersions } from '../../lib/tools/tool-versions.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { runCli, toolSettingsEnv } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { silentServer } from '../support/servers.js';
import { stubTools } from '../support/stub-tools.js';
import { answerOnTerminal } from '../support/terminal.js';

let sandbox: Sandbox;
let stubs: Awaited<ReturnType<typeof stubTools>>;
let home: string;
let project: ProjectCopy;

useSandboxProject((lab) => {
  ({ sandbox, project } = lab);
});
before(async () => {
  stubs = await stubTools(await readToolVersions(process.cwd()));
  home = await mkdtemp(join(tmpdir(), 'cli-home-'));
});
after(async () => {
  await rm(stubs.dir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** The CLI in a temp copy of the project, so plan files never land in the work tree. */
const cli = (args: string[], environment: Record<string, string>) => runCli(args, environment, project.dir);

interface StubCall {
  args: string[];
  env: string[];
  secretLength: number;
  stateBucket?: string;
  repositoryName?: string;
  projectName?: string;
}

/** The sandbox, stub binaries at the pinned versions, and an empty HOME (no ~/.aws). */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    ...sandbox.env,
    HOME: home,
    DEPLOY_TERRAFORM_PATH: stubs.terraform,
    DEPLOY_TERRAGRUNT_PATH: stubs.terragrunt,
    TOOLS_CACHE_DIR: join(home, 'tools'),
    // Stub binaries need no provider: the sandbox's mirror would send the tasks looking for it in this empty cache.
    TOOLS_PROVIDER_MIRROR: 'false',
    ...extra,
  };
}

function requestsSeen(): { aws: number; ecr: number; writes: number } {
  const aws = sandbox.awsProxy.requests();
  const ecr = sandbox.ecrPublic.requests();
  return { aws: aws.length, ecr: ecr.length, writes: aws.filter((r) => r.write).length + ecr.filter((r) => r.write).length };
}

function reset(): void {
  sandbox.awsProxy.resetRequestLog();
  sandbox.ecrPublic.resetRequestLog();
}

describe('the CLI', () => {
  test('--help lists every setting with its environment twin', async () => {
    const r = await cli(['init', '--help'], env());
    assert.equal(r.code, 0);
    const help = r.stdout.replace(/\s+/g, ' ');
    for (const twin of ['DEPLOY_STATE_BUCKET', 'AWS_PROFILE', 'DEPLOY_EXPECTED_ACCOUNT_ID', 'DEPLOY_BUCKET_READY_TIMEOUT_SECONDS'])
      assert.match(help, new RegExp(`env: ${twin}`));
  });

  test('an unknown task and an unknown flag are usage errors with a suggestion', async () => {
    const task = await cli(['aply'], env());
    assert.equal(task.code, 64);
    assert.match(task.stderr, /Unknown task "aply"[\s\S]*Did you mean npm run apply\?/);
    const flag = await cli(['plan', '--state-buckt', 'x'], env());
    assert.equal(flag.code, 64);
    assert.match(flag.stderr, /Did you mean --state-bucket\?/);
  });

  test('bad settings exit 64 naming each one, before any request reaches the sandbox', async () => {
    reset();
    const r = await cli(
      ['init'],
      env({ DEPLOY_STATE_BUCKET: 'Bad_Bucket', DEPLOY_AWS_TIMEOUT_SECONDS: '0', AWS_ENDPOINT_URL_S3: 'http://example.com' }),
    );
    assert.equal(r.code, 64);
    assert.match(r.stderr, /3 problems/);
    assert.match(r.stderr, /DEPLOY_STATE_BUCKET="Bad_Bucket": must be 3-63 characters/);
    assert.match(r.stderr, /AWS_ENDPOINT_URL_S3="http:\/\/example.com": must use https:\/\//);
    assert.deepEqual(requestsSeen(), { aws: 0, ecr: 0, writes: 0 });
  });

  test('a terraform binary at the wrong version stops the task before any AWS call', async () => {
    reset();
    const r = await cli(['plan'], env({ DEPLOY_TERRAFORM_PATH: '/usr/bin/false' }));
    assert.equal(r.code, 1);
    assert.match(r.stderr, /DEPLOY_TERRAFORM_PATH=\/usr\/bin\/false is not terraform/);
    assert.equal(requestsSeen().aws, 0);
  });

  test('a profile without credentials says how to set it up; nothing is written', async () => {
    reset();
    const config = join(home, 'aws-config');
    await writeFile(config, '[profile platform]\nregion = us-east-1\n');
    const bare = env({ AWS_PROFILE: 'platform', AWS_CONFIG_FILE: config, AWS_SHARED_CREDENTIALS_FILE: join(home, 'none') });
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete bare[k];
    const r = await cli(['init'], bare);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /The AWS profile "platform" defines no credentials[\s\S]*aws configure sso --profile platform/);
    assert.equal(requestsSeen().writes, 0);
  });

  test('an expired SSO session says to log in again; nothing is written', async () => {
    reset();
    const config = join(home, 'aws-config-sso');
    await writeFile(
      config,
      '[profile sso-admin]\nsso_session = corp\nsso_account_id = 123456789012\nsso_role_name = Admin\nregion = us-east-1\n\n[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\nsso_region = us-east-1\n',
    );
    const { createHash } = await import('node:crypto');
    const cacheDir = join(home, '.aws', 'sso', 'cache');
    await mkdir(cacheDir, { recursive: true });
    await writeFile(
      join(cacheDir, `${createHash('sha1').update('corp').digest('hex')}.json`),
      JSON.stringify({
        accessToken: 'expired-token-value',
        expiresAt: '2020-01-01T00:00:00Z',
        region: 'us-east-1',
        startUrl: 'https://corp.awsapps.com/start',
      }),
    );
    const bare = env({ AWS_PROFILE: 'sso-admin', AWS_CONFIG_FILE: config });
    for (const k of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN']) delete bare[k];
    const r = await cli(['init'], bare);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /expired|refresh/i);
    assert.match(r.stderr, /aws sso login --profile sso-admin/);
    assert.equal(requestsSeen().writes, 0);
  });

  test('the wrong account stops before any write', async () => {
    reset();
    const r = await cli(['init'], env({ DEPLOY_EXPECTED_ACCOUNT_ID: '999999999999', DEPLOY_STATE_BUCKET: 'wrong-account-bucket' }));
    assert.equal(r.code, 1);
    assert.match(r.stderr, new RegExp(`account ${sandbox.accountId}.*DEPLOY_EXPECTED_ACCOUNT_ID is 999999999999`));
    assert.equal(requestsSeen().writes, 0);
  });

  test('init hardens the bucket, then hands terragrunt explicit credentials and no profile', async () => {
    await writeFile(stubs.record, '');
    const r = await cli(['init', '--state-bucket', 'cli-init-bucket'], env({ AWS_PROFILE: '' }));
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /State bucket cli-init-bucket: created; set public access block/);
    const calls = (await readFile(stubs.record, 'utf8'))
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as StubCall);
    const init = calls.find((c) => c.args[0] === 'init');
    assert.ok(init, 'terragrunt init was not run');
    assert.ok(!init.args.some((a) => a.includes('bootstrap')));
    assert.ok(
      init.env.includes('AWS_ACCESS_KEY_ID') && init.env.includes('AWS_SECRET_ACCESS_KEY') && init.env.includes('AWS_SESSION_TOKEN'),
    );
    assert.ok(!init.env.includes('AWS_PROFILE'));
    assert.equal(init.secretLength, sandbox.credentials.secretAccessKey.length);
    // root.hcl's inputs are the validated settings, handed over explicitly.
    assert.deepEqual(
      [init.stateBucket, init.repositoryName, init.projectName],
      ['cli-init-bucket', 'caylent-solutions/devcontainer-base', 'devcontainer-ecr-public'],
    );
    const again = await cli(['init', '--state-bucket', 'cli-init-bucket'], env());
    assert.match(again.stderr, /State bucket cli-init-bucket: found; already hardened, nothing written \(\d+ reads, 0 writes\)/);
  });

  test('a silent S3 endpoint after a real STS: plan fails at the bound, naming it', async (t) => {
    const silent = await silentServer();
    t.after(() => silent.close());
    // The message names the 2 s bound: the silent server never answers, so only the bound ends the plan.
    const r = await cli(
      ['plan', '--state-bucket', 'cli-silent-s3'],
      env({ AWS_ENDPOINT_URL_S3: silent.url, DEPLOY_AWS_TIMEOUT_SECONDS: '2' }),
    );
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, new RegExp(`No answer from the S3 endpoint ${silent.url} \\(AWS_ENDPOINT_URL_S3\\) within 2s`));
  });

  test('plan without the state bucket says to run init', async () => {
    const r = await cli(['plan', '--state-bucket', 'never-initialised'], env());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /does not exist yet[\s\S]*npm run init/);
  });

  test('a saved plan is not applied without confirmation either', async () => {
    await cli(['init', '--state-bucket', 'cli-saved-plan-bucket'], env());
    assert.equal((await cli(['plan', '--state-bucket', 'cli-saved-plan-bucket'], env())).code, 0);
    const saved = join(project.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.tfplan');
    assert.ok(existsSync(saved) && existsSync(`${saved}.json`), 'plan did not save its plan');
    await writeFile(stubs.record, '');
    const r = await cli(['apply', '--state-bucket', 'cli-saved-plan-bucket'], env());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Refusing to apply without confirmation/);
    const calls = (await readFile(stubs.record, 'utf8'))
      .trim()
      .split('\n')
      .filter(Boolean)
      .map((l) => JSON.parse(l) as StubCall);
    assert.deepEqual(
      calls.filter((c) => c.args[0] !== 'version' && c.args[0] !== '--version').map((c) => c.args[0]),
      [],
      'apply ran terragrunt',
    );
    // Only a fresh plan is discarded on refusal; the operator's saved one stays.
    assert.ok(existsSync(saved));
  });

  // The bound only keeps a broken forwarding from hanging the suite.
  test('Ctrl-C during a terragrunt run reaches it once and the task exits 130', { timeout: 60_000 }, async () => {
    await cli(['init', '--state-bucket', 'cli-sigint-bucket'], env());
    const child = spawn(process.execPath, [join(project.dir, 'dist/cli/main.js'), 'plan', '--state-bucket', 'cli-sigint-bucket'], {
      cwd: project.dir,
      env: {
        PATH: process.env.PATH ?? '',
        HOME: home,
        CI: 'true',
        NO_COLOR: '1',
        ...toolSettingsEnv(),
        ...env({ STUB_WAIT_FOR_SIGINT: 'plan' }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => {
      stdout += c.toString();
      if (stdout.includes('stub: running')) child.kill('SIGINT');
    });
    const [code] = (await once(child, 'close')) as [number | null];
    assert.equal(code, 130);
    assert.match(stdout, /stub: interrupted, lock released/);
  });

  test('Ctrl-C or Ctrl-D at the destroy prompt: exit 130 and nothing was changed', async () => {
    await cli(['init', '--state-bucket', 'cli-prompt-bucket'], env());
    for (const [key, name] of [
      ['\u0003', 'Ctrl+C'],
      ['\u0004', 'Ctrl+D'],
    ] as const) {
      reset();
      const terminalEnv = { PATH: process.env.PATH ?? '', HOME: home, NO_COLOR: '1', ...env() };
      const r = await answerOnTerminal(project.dir, ['destroy', '--state-bucket', 'cli-prompt-bucket'], terminalEnv, key);
      assert.equal(r.code, 130, r.output);
      assert.match(r.output, new RegExp(`Destroy cancelled at the prompt \\(${name.replace('+', '\\+')}\\); nothing was changed`));
      assert.doesNotMatch(r.output, /Unexpected error/);
      assert.equal(requestsSeen().writes, 0);
    }
  });

  test('apply without a terminal and without --yes refuses instead of hanging', async () => {
    await cli(['init', '--state-bucket', 'cli-apply-bucket'], env());
    const r = await cli(['apply', '--state-bucket', 'cli-apply-bucket'], env());
    assert.equal(r.code, 1);
    assert.match(r.stderr, /Refusing to apply without confirmation[\s\S]*--yes/);
    // The refused plan is gone, so a later run cannot apply it unasked.
    assert.ok(!existsSync(join(project.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.tfplan.json')));
  });
});
