import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { readToolVersions } from '../../lib/tools/tool-versions.js';
import { assertNoSecrets, registerSecret, runCli } from '../support/cli.js';
import { projectCopy } from '../../sandbox/project-copy.js';
import { refusedUrl } from '../support/servers.js';
import { stubTools } from '../support/stub-tools.js';

// The CLI end to end where no AWS answer is needed: bad input, refusals, first lines.
let stubs: Awaited<ReturnType<typeof stubTools>>;
let home: string;
let refused: string;
const keys = { AWS_ACCESS_KEY_ID: 'AKIDCLIINPUT', AWS_SECRET_ACCESS_KEY: 'cli-input-secret-value' };
registerSecret(keys.AWS_SECRET_ACCESS_KEY);

before(async () => {
  stubs = await stubTools(await readToolVersions(process.cwd()));
  home = await mkdtemp(join(tmpdir(), 'cli-input-home-'));
  refused = await refusedUrl();
});
after(async () => {
  await rm(stubs.dir, { recursive: true, force: true });
  await rm(home, { recursive: true, force: true });
});

/** Stub terraform/terragrunt at the pinned versions, an empty HOME, AWS endpoints that refuse connections. */
function env(extra: Record<string, string> = {}): Record<string, string> {
  return {
    HOME: home,
    TOOLS_CACHE_DIR: join(home, 'tools'),
    DEPLOY_TERRAFORM_PATH: stubs.terraform,
    DEPLOY_TERRAGRUNT_PATH: stubs.terragrunt,
    AWS_EC2_METADATA_DISABLED: 'true',
    AWS_ENDPOINT_URL_STS: refused,
    AWS_ENDPOINT_URL_S3: refused,
    AWS_ENDPOINT_URL_ECR_PUBLIC: refused,
    ...keys,
    ...extra,
  };
}

const firstLine = (text: string): string => text.split('\n').find((l) => l.trim() !== '') ?? '';

describe('the CLI on bad input and failing endpoints', () => {
  test('a failing AWS call: our message is the first line, no runtime warning precedes it', async () => {
    const r = await runCli(['plan'], env());
    assert.equal(r.code, 1, r.stderr);
    assert.match(firstLine(r.stderr), /^✖ Could not confirm credentials/);
    assert.doesNotMatch(r.stderr, /Warning/);
  });

  test('bad input exits 64, never 2 (plan --detailed-exitcode keeps 2 for changes)', async () => {
    const setting = await runCli(['plan', '--state-bucket', 'Bad_Bucket'], env());
    assert.equal(setting.code, 64, setting.stderr);
    assert.match(setting.stderr, /Invalid configuration/);
    const flag = await runCli(['plan', '--bogus-flag'], env());
    assert.equal(flag.code, 64, flag.stderr);
    const lockId = await runCli(['unlock', '--lock-id', 'not a lock id!'], env());
    assert.equal(lockId.code, 64, lockId.stderr);
    const none = await runCli([], env());
    assert.equal(none.code, 64, none.stderr);
  });

  test('the project is where the code lives: run from another directory, it reads that project', async (t) => {
    const project = await projectCopy();
    t.after(project.remove);
    await writeFile(join(project.dir, '.env'), 'DEPLOY_STATE_BUCKET=Not_A_Bucket\n');
    const elsewhere = await runCli(['plan'], env(), project.dir, home);
    assert.equal(elsewhere.code, 64, elsewhere.stderr);
    assert.match(elsewhere.stderr, /DEPLOY_STATE_BUCKET="Not_A_Bucket"/);
    await rm(join(project.dir, '.env'));
    const doctor = await runCli(['doctor', '--json'], env(), project.dir, home);
    const unit = (JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string; message: string }> }).checks.find(
      (c) => c.id === 'unit',
    );
    assert.equal(unit?.status, 'pass', unit?.message ?? 'no unit check');
    assert.ok(unit?.message.startsWith(project.dir));
  });

  test('a mistake in .env is bad input naming the file, the line and the nearest setting', async (t) => {
    const project = await projectCopy();
    t.after(project.remove);
    await writeFile(join(project.dir, '.env'), '# team settings\nDEPLOY_STATE_BUKCET=team-state\n');
    const r = await runCli(['plan'], env(), project.dir);
    assert.equal(r.code, 64, r.stderr);
    assert.match(
      r.stderr,
      new RegExp(`${join(project.dir, '.env')}:2: DEPLOY_STATE_BUKCET is not a setting; the nearest is DEPLOY_STATE_BUCKET`),
    );
  });

  test('an unknown task lists the tasks; a flag is only suggested by the task that takes it', async () => {
    const task = await runCli(['frobnicate'], env());
    assert.equal(task.code, 64);
    assert.match(task.stderr, /Unknown task "frobnicate"[\s\S]*Tasks: init, plan, apply, destroy, output, doctor/);
    const planYes = await runCli(['plan', '--ye'], env());
    assert.equal(planYes.code, 64);
    assert.doesNotMatch(planYes.stderr, /--yes/);
    const applyYes = await runCli(['apply', '--ye'], env());
    assert.equal(applyYes.code, 64);
    assert.match(applyYes.stderr, /Did you mean --yes\?/);
    const doctor = await runCli(['doctor', '--detailed-exitcod'], env());
    assert.equal(doctor.code, 64);
    assert.doesNotMatch(doctor.stderr, /--detailed-exitcode/);
  });

  test('destroy and unlock without a terminal refuse before any AWS call, and speak of no plan', async () => {
    for (const args of [['destroy'], ['unlock', '--lock-id', 'f0e1d2c3-lock']]) {
      const r = await runCli(args, env());
      assert.equal(r.code, 1, r.stderr);
      assert.match(r.stderr, new RegExp(`Refusing to ${args[0] ?? ''} without confirmation[\\s\\S]*--yes`));
      assert.doesNotMatch(r.stderr, /plan/i);
    }
  });

  test('import --address must be a Terraform resource address, checked before any AWS call', async () => {
    const bad = await runCli(['import', '--address', 'aws_ecrpublic_repository.this; rm -rf /'], env());
    assert.equal(bad.code, 64, bad.stderr);
    assert.match(bad.stderr, /is not a Terraform resource address/);
    // A module path with a key is an address: the task goes on to the credentials (refused here).
    const good = await runCli(['import', '--address', 'module.mirror["eu"].aws_ecrpublic_repository.this'], env());
    assert.equal(good.code, 1, good.stderr);
    assert.match(good.stderr, /Could not confirm credentials/);
  });
});

describe('--env-file and DEPLOY_ENV_FILE: one env file per account', () => {
  // The staging file: two settings invalid on purpose, so the configuration error (exit 64, before
  // any AWS call) shows they were read from it; and keys, which must never be printed.
  const fileSecret = 'env-file-secret-value-staging';
  registerSecret(fileSecret);
  const staging = ['AWS_ACCESS_KEY_ID=AKIDSTAGINGFILE', `AWS_SECRET_ACCESS_KEY=${fileSecret}`, 'DEPLOY_REPOSITORY_NAME=Staging_Repo'];

  /** A project copy whose own .env is broken (so reading or merging it shows), and the operator's folder holding .env.staging. */
  async function accounts(t: TestContext): Promise<{ project: string; operator: string; file: string }> {
    const project = await projectCopy();
    t.after(project.remove);
    await writeFile(join(project.dir, '.env'), 'DEPLOY_UNIT=Not..A..Unit\n');
    const operator = await mkdtemp(join(home, 'operator-'));
    t.after(() => rm(operator, { recursive: true, force: true }));
    const file = join(operator, '.env.staging');
    await writeFile(file, [...staging, 'DEPLOY_STATE_BUCKET=Staging_Bucket', ''].join('\n'));
    return { project: project.dir, operator, file };
  }

  /** The run read the staging file, relative to the operator's folder, and not the project .env. */
  function readStaging(r: { code: number | null; stderr: string }, file: string, namedBy: string): void {
    assert.equal(r.code, 64, r.stderr);
    assert.ok(r.stderr.includes(`Settings from ${file} (${namedBy})`), r.stderr);
    assert.match(r.stderr, /DEPLOY_REPOSITORY_NAME="Staging_Repo"/);
    assert.match(r.stderr, /DEPLOY_STATE_BUCKET="Staging_Bucket"/);
    assert.doesNotMatch(r.stderr, /DEPLOY_UNIT|Not\.\.A/);
  }

  test('--env-file <path> and --env-file=<path> replace .env, relative to where npm was run', async (t) => {
    const { project, operator, file } = await accounts(t);
    readStaging(
      await runCli(['plan', '--env-file', '.env.staging'], env({ INIT_CWD: operator, npm_lifecycle_event: 'plan' }), project),
      file,
      '--env-file',
    );
    readStaging(await runCli(['plan', `--env-file=${file}`], env(), project, home), file, '--env-file');
  });

  test('without npm, a relative path is from the working directory: a stale PWD or INIT_CWD does not choose the file', async (t) => {
    const { project, operator, file } = await accounts(t);
    readStaging(
      await runCli(['plan', '--env-file', '.env.staging'], env({ PWD: project, INIT_CWD: project }), project, operator),
      file,
      '--env-file',
    );
    const stale = await runCli(['plan', '--env-file', '.env.staging'], env({ PWD: operator }), project);
    assert.equal(stale.code, 64, stale.stderr);
    assert.ok(
      stale.stderr.includes(`The env file ${join(project, '.env.staging')} (--env-file .env.staging) does not exist`),
      stale.stderr,
    );
  });

  test('DEPLOY_ENV_FILE does the same (doctor --json keeps stdout JSON), and the flag beats it', async (t) => {
    const { project, operator, file } = await accounts(t);
    const doctor = await runCli(
      ['doctor', '--json'],
      env({ INIT_CWD: operator, npm_lifecycle_event: 'plan', DEPLOY_ENV_FILE: '.env.staging' }),
      project,
    );
    assert.ok(doctor.stderr.includes(`Settings from ${file} (DEPLOY_ENV_FILE)`), doctor.stderr);
    const checks = (JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string; message: string }> }).checks;
    const config = checks.find((c) => c.id === 'config');
    assert.equal(config?.status, 'fail');
    assert.match(config?.message ?? '', /DEPLOY_REPOSITORY_NAME="Staging_Repo"[\s\S]*DEPLOY_STATE_BUCKET="Staging_Bucket"/);
    assert.doesNotMatch(doctor.stdout, /DEPLOY_UNIT=/);
    readStaging(await runCli(['plan'], env({ DEPLOY_ENV_FILE: file }), project), file, 'DEPLOY_ENV_FILE');
    const both = env({ INIT_CWD: operator, npm_lifecycle_event: 'plan', DEPLOY_ENV_FILE: '.env.missing' });
    readStaging(await runCli(['plan', '--env-file', '.env.staging'], both, project), file, '--env-file');
  });

  test('a named file that is missing exits 64 naming its path and the fix, and .env is not read instead', async (t) => {
    const { project, operator } = await accounts(t);
    for (const [args, extra, namedBy] of [
      [['plan', '--env-file', '.env.prod'], { INIT_CWD: operator, npm_lifecycle_event: 'plan' }, '--env-file .env.prod'],
      [
        ['output', '--json'],
        { INIT_CWD: operator, npm_lifecycle_event: 'plan', DEPLOY_ENV_FILE: '.env.prod' },
        'DEPLOY_ENV_FILE .env.prod',
      ],
    ] as const) {
      const r = await runCli([...args], env(extra), project);
      assert.equal(r.code, 64, r.stderr);
      assert.ok(r.stderr.includes(`The env file ${join(operator, '.env.prod')} (${namedBy}) does not exist`), r.stderr);
      assert.match(r.stderr, /fix: Correct (--env-file|DEPLOY_ENV_FILE) .*or create the file: copy \.env\.example/);
      assert.doesNotMatch(r.stderr, /DEPLOY_UNIT/);
      assert.equal(r.stdout, '');
    }
    const bare = await runCli(['plan', '--env-file'], env(), project);
    assert.equal(bare.code, 64, bare.stderr);
    assert.match(bare.stderr, /--env-file needs the path of a settings file/);
  });

  test('the real environment still beats the file; the keys it holds are used but never printed', async (t) => {
    const { project, operator, file } = await accounts(t);
    const partly = await runCli(['plan', '--env-file', file], env({ DEPLOY_STATE_BUCKET: 'env-wins-bucket' }), project);
    assert.equal(partly.code, 64, partly.stderr);
    assert.match(partly.stderr, /DEPLOY_REPOSITORY_NAME="Staging_Repo"/);
    assert.doesNotMatch(partly.stderr, /Staging_Bucket/);
    // Every invalid value overridden: the task goes on to the credentials, which come from the file.
    const keysFromFile = env({
      INIT_CWD: operator,
      npm_lifecycle_event: 'plan',
      DEPLOY_STATE_BUCKET: 'env-wins-bucket',
      DEPLOY_REPOSITORY_NAME: 'team/env-wins',
    });
    delete keysFromFile.AWS_ACCESS_KEY_ID;
    delete keysFromFile.AWS_SECRET_ACCESS_KEY;
    const r = await runCli(['plan', '--verbose', '--env-file', '.env.staging'], keysFromFile, project);
    assert.equal(r.code, 1, r.stderr);
    assert.ok(r.stderr.includes(`Settings from ${file} (--env-file)`), r.stderr);
    assert.match(r.stderr, /Could not confirm credentials/);
    assert.ok(!`${r.stdout}${r.stderr}`.includes(fileSecret), 'the secret from the env file was printed');
  });

  test('through npm run, as an operator types it from another folder', async (t) => {
    const { project, operator, file } = await accounts(t);
    // npm sets INIT_CWD; the script's leading `--` keeps Node from taking --env-file as its own option.
    const child = spawn('npm', ['--prefix', project, 'run', '--silent', 'plan', '--', '--env-file', '.env.staging'], {
      cwd: operator,
      env: { PATH: process.env.PATH ?? '', NO_COLOR: '1', CI: 'true', ...env() },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    const [code] = (await once(child, 'close')) as [number | null];
    assertNoSecrets(stderr, 'stderr of npm run plan');
    readStaging({ code, stderr }, file, '--env-file');
  });
});
