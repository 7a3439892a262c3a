import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { parseCommandLine } from '../../cli/parser.js';
import { tasks } from '../../cli/registry.js';
import { chooseEnvFile, readEnvFile, underEnvironment } from '../../lib/config/dotenv-file.js';
import { loadConfig } from '../../lib/config/load.js';
import { TaskError } from '../../lib/core/errors.js';
import { projectCopy } from '../../sandbox/project-copy.js';
import { runCli } from '../support/cli.js';

let dir: string;
before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'env-file-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Asserts `act` throws a bad-input TaskError (exit 64) and returns it. */
function badInput(act: () => unknown): TaskError {
  try {
    act();
  } catch (error) {
    assert.ok(error instanceof TaskError, String(error));
    assert.equal(error.exitCode, 64);
    return error;
  }
  assert.fail('accepted');
}

describe('which env file a run reads', () => {
  const project = '/srv/project';

  test('neither --env-file nor DEPLOY_ENV_FILE (or an empty one): the project .env, named by nothing', () => {
    for (const env of [{}, { DEPLOY_ENV_FILE: '' }])
      assert.deepEqual(chooseEnvFile(undefined, env, project), { path: '/srv/project/.env' });
  });

  test('a relative path is from where npm was run when npm launched us, else from the working directory; never from PWD', () => {
    const cwd = '/home/op/cwd';
    const npm = { INIT_CWD: '/home/op/infra', npm_lifecycle_event: 'plan', PWD: '/elsewhere' };
    assert.equal(chooseEnvFile('.env.staging', npm, project, cwd).path, '/home/op/infra/.env.staging');
    assert.equal(
      chooseEnvFile('.env.staging', { INIT_CWD: '/home/op/infra', npm_command: 'run-script' }, project, cwd).path,
      '/home/op/infra/.env.staging',
    );
    // A stale PWD, or an INIT_CWD that npm did not set for this run, does not choose the file.
    assert.equal(chooseEnvFile('../.env.prod', { PWD: '/home/op/shell' }, project, cwd).path, '/home/op/.env.prod');
    assert.equal(
      chooseEnvFile('.env.prod', { INIT_CWD: '/home/op/infra', PWD: '/elsewhere' }, project, cwd).path,
      '/home/op/cwd/.env.prod',
    );
    assert.equal(
      chooseEnvFile('accounts/.env.prod', { INIT_CWD: '', npm_lifecycle_event: 'plan' }, project, cwd).path,
      '/home/op/cwd/accounts/.env.prod',
    );
    assert.equal(
      chooseEnvFile('.env.prod', { INIT_CWD: 'relative', npm_lifecycle_event: 'plan' }, project, cwd).path,
      '/home/op/cwd/.env.prod',
    );
    assert.equal(chooseEnvFile('/etc/deploy/.env.prod', npm, project, cwd).path, '/etc/deploy/.env.prod');
    // Without a directory given, the process's own working directory.
    assert.equal(chooseEnvFile('.env.prod', { PWD: '/elsewhere' }, project).path, join(process.cwd(), '.env.prod'));
  });

  test('the flag beats DEPLOY_ENV_FILE, and what named the file is kept for the messages', () => {
    const env = { DEPLOY_ENV_FILE: '.env.staging', INIT_CWD: '/home/op', npm_lifecycle_event: 'plan' };
    assert.deepEqual(chooseEnvFile('.env.prod', env, project), {
      path: '/home/op/.env.prod',
      namedBy: { source: '--env-file', value: '.env.prod', base: '/home/op' },
    });
    assert.deepEqual(chooseEnvFile(undefined, env, project).namedBy, {
      source: 'DEPLOY_ENV_FILE',
      value: '.env.staging',
      base: '/home/op',
    });
  });
});

describe('reading the chosen env file', () => {
  test('a named file is read instead of the project .env, never merged with it', async () => {
    const projectDir = await mkdtemp(join(dir, 'project-'));
    await writeFile(join(projectDir, '.env'), 'DEPLOY_STATE_BUCKET=project-bucket\nDEPLOY_UNIT=us-east-1/other\n');
    await writeFile(join(projectDir, '.env.prod'), 'DEPLOY_STATE_BUCKET=prod-bucket\n');
    assert.deepEqual(readEnvFile(chooseEnvFile('.env.prod', {}, projectDir, projectDir)), { DEPLOY_STATE_BUCKET: 'prod-bucket' });
    assert.equal(readEnvFile(chooseEnvFile(undefined, {}, projectDir)).DEPLOY_UNIT, 'us-east-1/other');
  });

  test('a missing named file is bad input naming the path and the fix; a missing project .env is no settings', async () => {
    const projectDir = await mkdtemp(join(dir, 'project-'));
    await writeFile(join(projectDir, '.env'), 'DEPLOY_STATE_BUCKET=project-bucket\n');
    const error = badInput(() => readEnvFile(chooseEnvFile(undefined, { DEPLOY_ENV_FILE: '.env.prod' }, projectDir, dir)));
    assert.equal(error.code, 'ENV_FILE_MISSING');
    assert.ok(error.message.includes(`${join(dir, '.env.prod')} (DEPLOY_ENV_FILE .env.prod) does not exist`), error.message);
    assert.match(error.hint ?? '', /Correct DEPLOY_ENV_FILE .*or create the file: copy \.env\.example/);
    const empty = await mkdtemp(join(dir, 'project-'));
    assert.deepEqual(readEnvFile(chooseEnvFile(undefined, {}, empty)), {});
  });

  test('a named folder is refused as not a file', async () => {
    const folder = join(dir, 'a-folder');
    await mkdir(folder);
    assert.match(badInput(() => readEnvFile(chooseEnvFile(folder, {}, dir))).message, /a-folder is a directory, not a file/);
  });

  test('DEPLOY_ENV_FILE cannot be set inside an env file; a malformed line shows no value', async () => {
    const file = join(dir, '.env.bad');
    await writeFile(file, 'DEPLOY_ENV_FILE=.env.prod\nAWS_SECRET_ACCESS_KEY: wJalrXUtnFEMI/K7MDENG=rest\n');
    const message = badInput(() => readEnvFile(chooseEnvFile(file, {}, dir))).message;
    assert.match(message, /\.env\.bad:1: DEPLOY_ENV_FILE chooses the settings file, so it cannot be set inside one/);
    assert.match(message, /\.env\.bad:2: the text before "=" is not a variable name .*; it begins AWS_SECRET_ACCESS_KEY/);
    assert.doesNotMatch(message, /wJalr/);
  });
});

describe('--env-file, read by yargs with every other flag', () => {
  test('every task takes --env-file, and the file it names is the one read', async () => {
    for (const name of Object.keys(tasks)) {
      const required = name === 'unlock' ? ['--lock-id', 'L'] : [];
      const line = parseCommandLine([name, '--env-file', '.env.prod', ...required], {});
      assert.equal('args' in line ? line.args['env-file'] : undefined, '.env.prod', name);
    }
    const projectDir = await mkdtemp(join(dir, 'project-'));
    await writeFile(join(projectDir, '.env.prod'), 'DEPLOY_STATE_BUCKET=prod-bucket\n');
    const line = parseCommandLine(['plan', '--env-file=.env.prod'], {});
    const named = 'args' in line ? line.args['env-file'] : undefined;
    assert.equal(typeof named, 'string');
    assert.deepEqual(readEnvFile(chooseEnvFile(String(named), {}, projectDir, projectDir)), {
      DEPLOY_STATE_BUCKET: 'prod-bucket',
    });
  });

  test('a missing or empty path is a usage error (exit 64) before any file is read', () => {
    for (const argv of [
      ['plan', '--env-file'],
      ['plan', '--env-file', '--verbose'],
      ['plan', '--env-file='],
    ]) {
      const error = badInput(() => parseCommandLine(argv, {}));
      assert.equal(error.code, 'USAGE');
      assert.match(error.message, /--env-file needs the path of a settings file/);
    }
  });

  test('--help prints help though .env is broken (exit 0); a task still refuses the broken file (64)', async (t) => {
    const project = await projectCopy();
    t.after(project.remove);
    await writeFile(join(project.dir, '.env'), 'NOT A SETTING LINE\nDEPLOY_STATE_BUKCET=x\n');
    const env = { HOME: dir, TOOLS_CACHE_DIR: join(dir, 'tools') };
    for (const [args, head] of [
      [['plan', '--help'], 'npm run plan -- [flags]'],
      [['--help'], 'npm run <task> -- [flags]'],
      [['plan', '--env-file', join(dir, 'missing'), '-h'], 'npm run plan -- [flags]'],
    ] as const) {
      const help = await runCli([...args], env, project.dir);
      assert.equal(help.code, 0, help.stderr);
      assert.ok(help.stdout.startsWith(head), help.stdout);
      assert.equal(help.stderr, '');
    }
    const plan = await runCli(['plan'], env, project.dir);
    assert.equal(plan.code, 64, plan.stderr);
    assert.match(plan.stderr, /\.env cannot be used \(2 problems\)/);
  });
});

describe('the environment over the env file', () => {
  const file = {
    AWS_PROFILE: 'platform-prod',
    DEPLOY_EXPECTED_ACCOUNT_ID: '222222222222',
    DEPLOY_STATE_BUCKET: 'acme-ecr-state-222222222222',
    DEPLOY_STATE_KMS_KEY_ID: 'alias/state',
  };

  test('a value in the environment wins; an empty one counts as unset, so the file still applies', () => {
    const cases: Array<[NodeJS.ProcessEnv, Partial<Record<keyof typeof file, string>>]> = [
      [{}, file],
      [{ DEPLOY_EXPECTED_ACCOUNT_ID: '' }, file],
      [{ AWS_PROFILE: '' }, file],
      [{ DEPLOY_STATE_BUCKET: '', DEPLOY_STATE_KMS_KEY_ID: '' }, file],
      [{ AWS_PROFILE: 'platform-staging' }, { ...file, AWS_PROFILE: 'platform-staging' }],
      [{ DEPLOY_EXPECTED_ACCOUNT_ID: '111111111111' }, { ...file, DEPLOY_EXPECTED_ACCOUNT_ID: '111111111111' }],
    ];
    for (const [env, expected] of cases) {
      const merged = underEnvironment(file, env);
      for (const [name, value] of Object.entries(expected)) assert.equal(merged[name], value, `${JSON.stringify(env)}: ${name}`);
    }
  });

  test('no safety setting of the file is removed by an empty variable: the guard and the profile reach the configuration', () => {
    const emptied = { AWS_PROFILE: '', DEPLOY_EXPECTED_ACCOUNT_ID: '', DEPLOY_STATE_BUCKET: '', DEPLOY_STATE_KMS_KEY_ID: '' };
    const config = loadConfig({}, underEnvironment(file, emptied));
    assert.equal(config.expectedAccountId, '222222222222');
    assert.equal(config.profile, 'platform-prod');
    assert.equal(config.stateBucket, 'acme-ecr-state-222222222222');
    assert.equal(config.stateKmsKeyId, 'alias/state');
  });

  test('an empty variable the file does not set stays empty (unset for the settings); the rest of the environment passes', () => {
    const merged = underEnvironment(
      { DEPLOY_STATE_BUCKET: 'file-bucket' },
      { AWS_PROFILE: '', PATH: '/bin', DEPLOY_STATE_BUCKET: 'shell-bucket' },
    );
    assert.deepEqual(merged, { AWS_PROFILE: '', PATH: '/bin', DEPLOY_STATE_BUCKET: 'shell-bucket' });
    assert.equal(loadConfig({}, merged).profile, undefined);
  });

  test('an empty flag is no way round it either: it is refused as bad input', () => {
    const error = badInput(() => loadConfig({ expectedAccountId: '' }, underEnvironment(file, {})));
    assert.match(error.message, /--expected-account-id="": must be a 12-digit AWS account id/);
  });
});
