import assert from 'node:assert/strict';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { childEnvironment } from '../../lib/aws/child-env.js';
import { loadConfig } from '../../lib/config/load.js';
import { settings } from '../../lib/config/settings.js';
import { TaskError } from '../../lib/core/errors.js';
import { rootHclInputs, unitDirectory, type DeployContext } from '../../lib/deploy/prepare.js';
import { discardPlan, planPaths, recordPlan, savedPlan, type SavedPlan } from '../../lib/terragrunt/saved-plan.js';
import { projectCopy } from '../../sandbox/project-copy.js';

let project: Awaited<ReturnType<typeof projectCopy>>;
before(async () => {
  project = await projectCopy();
});
after(async () => {
  await project.remove();
});

const repositoryUnit = 'us-east-1/ecr-public-repository';
const pushRoleUnit = 'us-east-1/github-actions-ecr-push';
const keys = { accessKeyId: 'AKIDSAVEDPLAN', secretAccessKey: 'saved-plan-secret', sessionToken: 'saved-plan-token' };

interface Made {
  env?: Record<string, string>;
  account?: string;
  projectName?: string;
  credentials?: typeof keys;
  extra?: Record<string, string>;
}

/** What the fingerprint reads of a deploy context, built as prepareDeploy builds it: settings from `env`, the child environment from them. */
function deployContext(made: Made = {}): DeployContext {
  const config = loadConfig({}, made.env ?? {});
  const inputs = rootHclInputs(config, made.projectName ?? 'devcontainer-ecr-public');
  const env = childEnvironment({ PATH: '/bin', ...made.extra }, made.credentials ?? keys, inputs);
  return {
    config,
    unitDir: unitDirectory(config, project.dir),
    identity: { account: made.account ?? '123456789012', arn: 'arn' },
    env,
  } as DeployContext;
}

async function planned(dc: DeployContext, changes = true): Promise<void> {
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  await recordPlan(dc, project.dir, changes, changes ? '+1 ~0 -0' : '0');
}

const current = (changes = true, summary = '+1 ~0 -0'): SavedPlan => ({ state: 'current', changes, summary });

test('a saved plan counts while nothing it was made from changes, and says whether it changes anything', async () => {
  const dc = deployContext();
  assert.deepEqual(await savedPlan(dc, project.dir), { state: 'none' });
  await planned(dc);
  assert.deepEqual(await savedPlan(dc, project.dir), current());
  await planned(dc, false);
  assert.deepEqual(await savedPlan(dc, project.dir), current(false, '0'));
});

describe('every setting a unit reads makes its saved plan stale when it changes', () => {
  /** One row per setting whose value reaches the units' HCL or terraform, with another valid value. */
  const rows: Array<[string, string]> = [
    ['DEPLOY_REPOSITORY_NAME', 'team/another-repository'],
    // The setting allows us-east-1 alone: the value is changed where the units read it, in the child environment.
    ['DEPLOY_ECR_REGION', 'us-west-2'],
    ['DEPLOY_STATE_BUCKET', 'another-state-bucket'],
    ['DEPLOY_STATE_REGION', 'eu-west-1'],
    ['DEPLOY_STATE_KMS_KEY_ID', 'alias/state'],
    ['DEPLOY_S3_PATH_STYLE', 'true'],
    ['DEPLOY_GITHUB_REPOSITORY', 'another-owner/another-repo'],
    ['DEPLOY_GITHUB_BRANCH', 'release/1.x'],
    ['DEPLOY_PUSH_ROLE_NAME', 'another-push-role'],
    ['DEPLOY_PUSH_ROLE_BOUNDARY_NAME', 'another-boundary'],
    ['DEPLOY_GITHUB_OIDC_PROVIDER_ARN', 'arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com'],
    ['AWS_ENDPOINT_URL_S3', 'https://127.0.0.1:4566'],
    ['AWS_ENDPOINT_URL_STS', 'https://127.0.0.1:4567'],
    ['AWS_ENDPOINT_URL_ECR_PUBLIC', 'https://127.0.0.1:4568'],
    ['AWS_ENDPOINT_URL_IAM', 'https://127.0.0.1:4569'],
  ];

  /** Every variable the units' HCL (root.hcl and each unit) reads with get_env. */
  async function readByHcl(): Promise<string[]> {
    const hcl = await Promise.all(
      [
        'root.hcl',
        `${repositoryUnit}/terragrunt.hcl`,
        `${pushRoleUnit}/terragrunt.hcl`,
        'us-east-1/github-actions-ci-roles/terragrunt.hcl',
      ].map((f) => readFile(join(project.dir, 'platform/infra/terragrunt', f), 'utf8')),
    );
    return [...new Set(hcl.flatMap((text) => [...text.matchAll(/get_env\("([A-Z0-9_]+)"/g)].map((m) => m[1] ?? '')))];
  }

  test('the table covers every setting handed to terragrunt, and every variable the HCL reads', async () => {
    const handed = Object.keys(rootHclInputs(loadConfig({}, {}), 'name')).concat(settings.filter((s) => s.rootHcl).map((s) => s.env));
    const covered = new Set([...rows.map(([name]) => name), 'DEPLOY_PROJECT_NAME']);
    for (const name of new Set([...handed, ...(await readByHcl())])) assert.ok(covered.has(name), `no row for ${name}`);
  });

  test('the settings handed to terragrunt are those its HCL reads, and the endpoints terraform reads itself', async () => {
    const read = await readByHcl();
    const expected = settings.filter((s) => read.includes(s.env) || s.env.startsWith('AWS_ENDPOINT_URL_')).map((s) => s.env);
    assert.deepEqual(
      settings.filter((s) => s.rootHcl).map((s) => s.env),
      expected,
    );
    // What is not a setting is the project's name, which the tasks hand over too.
    assert.deepEqual(
      read.filter((name) => !settings.some((s) => s.env === name)),
      ['DEPLOY_PROJECT_NAME'],
    );
  });

  for (const [name, value] of rows)
    test(`${name}`, async () => {
      // The push-role unit reads root.hcl's settings, its own, and (through its dependency) the repository unit's files.
      const unitEnv = { DEPLOY_UNIT: pushRoleUnit };
      const before = deployContext({ env: unitEnv });
      const after =
        name === 'DEPLOY_ECR_REGION'
          ? { ...before, env: { ...before.env, [name]: value } }
          : deployContext({ env: { ...unitEnv, [name]: value } });
      assert.notEqual(before.env[name], after.env[name], `${name}=${value} does not reach the child environment`);
      await planned(before);
      assert.deepEqual(await savedPlan(after, project.dir), { state: 'stale', changed: [name] });
      assert.deepEqual(await savedPlan(before, project.dir), current());
      await discardPlan(before.unitDir);
    });

  test("the project's name (the Repository tag) and the account", async () => {
    const dc = deployContext();
    await planned(dc);
    assert.deepEqual(await savedPlan(deployContext({ projectName: 'a-fork' }), project.dir), {
      state: 'stale',
      changed: ['DEPLOY_PROJECT_NAME'],
    });
    assert.deepEqual(await savedPlan(deployContext({ account: '210987654321' }), project.dir), {
      state: 'stale',
      changed: ['the AWS account'],
    });
  });
});

test('a setting only another unit reads, the credentials, and what terraform does not read leave the plan current', async () => {
  const dc = deployContext();
  await planned(dc);
  for (const other of [
    deployContext({ env: { DEPLOY_GITHUB_BRANCH: 'release/1.x', DEPLOY_PUSH_ROLE_NAME: 'another-role' } }),
    deployContext({ credentials: { ...keys, secretAccessKey: 'a-refreshed-secret', sessionToken: 'a-refreshed-token' } }),
    deployContext({ env: { DEPLOY_AWS_TIMEOUT_SECONDS: '60' }, extra: { PATH: '/usr/bin', HOME: '/home/other' } }),
  ])
    assert.deepEqual(await savedPlan(other, project.dir), current());
});

test("terraform's own inputs from the environment (TF_VAR_*, AWS_ENDPOINT_URL*) count, by their values", async () => {
  const dc = deployContext({ extra: { TF_VAR_description: 'one' } });
  await planned(dc);
  assert.deepEqual(await savedPlan(deployContext({ extra: { TF_VAR_description: 'two' } }), project.dir), {
    state: 'stale',
    changed: ['TF_VAR_description'],
  });
  assert.deepEqual(await savedPlan(deployContext(), project.dir), { state: 'stale', changed: ['TF_VAR_description'] });
  assert.deepEqual(
    await savedPlan(deployContext({ extra: { TF_VAR_description: 'one', AWS_ENDPOINT_URL: 'https://127.0.0.1:1' } }), project.dir),
    {
      state: 'stale',
      changed: ['AWS_ENDPOINT_URL'],
    },
  );
  // The record holds digests, never a value.
  assert.doesNotMatch(await readFile(planPaths(dc.unitDir).metaFile, 'utf8'), /"one"|saved-plan-secret|devcontainer-ecr-public"/);
});

test('a unit that starts to read one more variable is covered without a list to keep', async () => {
  const dc = deployContext({ env: { DEPLOY_UNIT: 'us-east-1/reads-more' } });
  await mkdir(dc.unitDir, { recursive: true });
  const hcl = 'inputs = {\n  # get_env(this comment is not a call)\n  x = get_env("DEPLOY_EXTRA_INPUT", "")\n}\n';
  await writeFile(join(dc.unitDir, 'terragrunt.hcl'), hcl);
  await planned(dc);
  const extra = deployContext({ env: { DEPLOY_UNIT: 'us-east-1/reads-more' }, extra: { DEPLOY_EXTRA_INPUT: 'now set' } });
  assert.deepEqual(await savedPlan(extra, project.dir), { state: 'stale', changed: ['DEPLOY_EXTRA_INPUT'] });
  // A name the HCL computes cannot be covered: refused, naming the line.
  await writeFile(join(dc.unitDir, 'terragrunt.hcl'), 'inputs = {\n  x = get_env(local.name)\n}\n');
  await assert.rejects(recordPlan(dc, project.dir, true, '+1'), (error: unknown) => {
    assert.ok(error instanceof TaskError && error.code === 'PLAN_INPUTS_UNKNOWN', String(error));
    assert.match(error.message, /us-east-1\/reads-more\/terragrunt\.hcl:2 calls get_env with a name that is not a quoted literal/);
    assert.equal(error.exitCode, 64);
    return true;
  });
});

test('editing the unit, its module or root.hcl makes the saved plan stale, naming the file', async () => {
  const dc = deployContext();
  await planned(dc);
  const variables = 'platform/infra/terraform-modules/ecr-public-repository/variables.tf';
  await writeFile(join(project.dir, variables), '# edited\n', { flag: 'a' });
  assert.deepEqual(await savedPlan(dc, project.dir), { state: 'stale', changed: [variables] });
  await planned(dc);
  await writeFile(join(project.dir, 'platform/infra/terragrunt/root.hcl'), '# edited\n', { flag: 'a' });
  assert.deepEqual(await savedPlan(dc, project.dir), { state: 'stale', changed: ['platform/infra/terragrunt/root.hcl'] });
});

test('editing another unit, or a module only another unit uses, leaves the saved plan current', async () => {
  const dc = deployContext();
  await planned(dc);
  const other = join(project.dir, 'platform/infra/terragrunt/us-east-1/other-unit');
  const otherModule = join(project.dir, 'platform/infra/terraform-modules/other-module');
  await mkdir(other, { recursive: true });
  await mkdir(otherModule, { recursive: true });
  await writeFile(join(otherModule, 'main.tf'), '# another module\n');
  await writeFile(join(other, 'terragrunt.hcl'), 'terraform {\n  source = "../../../terraform-modules//other-module"\n}\n');
  assert.deepEqual(await savedPlan(dc, project.dir), current());
  await writeFile(join(otherModule, 'main.tf'), '# edited\n', { flag: 'a' });
  assert.deepEqual(await savedPlan(dc, project.dir), current());
});

test("a dependent unit's plan is stale when a unit it depends on changes", async () => {
  const dc = deployContext({ env: { DEPLOY_UNIT: 'us-east-1/dependent-unit' } });
  await mkdir(dc.unitDir, { recursive: true });
  await writeFile(
    join(dc.unitDir, 'terragrunt.hcl'),
    'terraform {\n  source = "../../../terraform-modules//other-module"\n}\ndependency "repository" {\n  config_path = "../ecr-public-repository"\n}\n',
  );
  await planned(dc);
  assert.equal((await savedPlan(dc, project.dir)).state, 'current');
  const dependency = 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.hcl';
  await writeFile(join(project.dir, dependency), '# edited\n', { flag: 'a' });
  assert.deepEqual(await savedPlan(dc, project.dir), { state: 'stale', changed: [dependency] });
});

test('the provider lock file init writes does not make the saved plan stale', async () => {
  const dc = deployContext();
  await planned(dc);
  await writeFile(join(dc.unitDir, '.terraform.lock.hcl'), '# written by terragrunt init\n');
  assert.deepEqual(await savedPlan(dc, project.dir), current());
});

test('discarding removes the plan and its record', async () => {
  const dc = deployContext();
  await planned(dc);
  await discardPlan(dc.unitDir);
  assert.deepEqual(await savedPlan(dc, project.dir), { state: 'none' });
});

test('a plan made without the lock is a review, never a plan to apply, even with a plan file beside it', async () => {
  const dc = deployContext();
  await discardPlan(dc.unitDir);
  await recordPlan(dc, project.dir, true, '+1 ~0 -0', false);
  assert.deepEqual(await savedPlan(dc, project.dir), { state: 'reviewed', summary: '+1 ~0 -0' });
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  assert.deepEqual(await savedPlan(dc, project.dir), { state: 'reviewed', summary: '+1 ~0 -0' });
  const other = await savedPlan(deployContext({ env: { DEPLOY_STATE_BUCKET: 'another-state-bucket' } }), project.dir);
  assert.equal(other.state, 'stale', 'a review made from other inputs is stale, as a plan is');
  await discardPlan(dc.unitDir);
  assert.deepEqual(await savedPlan(dc, project.dir), { state: 'none' });
});

test('a truncated, null or reshaped record beside a saved plan is a TaskError (exit 1) naming the file and the fix', async () => {
  const dc = deployContext();
  const { metaFile, planFile } = planPaths(dc.unitDir);
  await planned(dc);
  const whole = await readFile(metaFile, 'utf8');
  for (const [text, problem] of [
    [whole.slice(0, whole.length / 2), /is not JSON/],
    ['null\n', /is not what it should be \(.+\)/],
    ['{"inputs": [], "changes": "yes"}\n', /is not what it should be \(changes: Invalid type: Expected boolean but received "yes"\)/],
  ] as const) {
    await writeFile(metaFile, text);
    await assert.rejects(savedPlan(dc, project.dir), (error: unknown) => {
      assert.ok(error instanceof TaskError, String(error));
      assert.equal(error.exitCode, 1);
      assert.equal(error.code, 'PLAN_RECORD_UNREADABLE');
      assert.ok(error.message.startsWith(`The saved plan's record ${metaFile} `), error.message);
      assert.match(error.message, problem);
      assert.equal(error.hint, `Plan again (npm run plan replaces it), or delete the saved plan: rm ${metaFile} ${planFile}`);
      return true;
    });
  }
  await discardPlan(dc.unitDir);
});

test('a plan file without its record is stale: nothing says what it was made from', async () => {
  const dc = deployContext();
  const { metaFile, planFile } = planPaths(dc.unitDir);
  await writeFile(planFile, 'plan');
  assert.deepEqual(await savedPlan(dc, project.dir), { state: 'stale', changed: [`its record ${metaFile} (missing)`] });
  await discardPlan(dc.unitDir);
});
