import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { readToolVersions } from '../../lib/tools/tool-versions.js';
import { registerSecret, runCli } from '../support/cli.js';
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
