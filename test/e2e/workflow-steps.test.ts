import assert from 'node:assert/strict';
import { cp, readdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import type { Sandbox } from '../../sandbox/harness.js';
import { runCli, toolSettingsEnv } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';
import { runJob, type JobRun, type RunnerOptions } from '../support/workflow-runner.js';

const tools = await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

/** Every step of a job ran and exited 0 (GitHub's own steps, `uses:`, have stand-ins). */
function passed(run: JobRun): void {
  for (const s of run.steps) assert.equal(s.code, 0, `${s.job}: ${s.step}\n${s.log}`);
}

describe("each workflow's steps, in order, against the sandbox", () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;
  let options: RunnerOptions;
  const workflow = (name: string): string => join(project.dir, '.github/workflows', name);
  const sha = '0123456789abcdef0123456789abcdef01234567';

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });
  before(async () => {
    await cp(join(process.cwd(), '.github'), join(project.dir, '.github'), { recursive: true });
    const vars = { DEPLOY_STATE_BUCKET: 'e2e-workflows', DEPLOY_EXPECTED_ACCOUNT_ID: sandbox.accountId };
    options = {
      cwd: project.dir,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', NO_COLOR: '1', ...toolSettingsEnv(), ...sandbox.env },
      tools: { terraform: tools.terraform, terragrunt: tools.terragrunt },
      vars,
      github: { sha, repository: 'o/r', run_id: '42', server_url: 'https://github.example' },
    };
    // The one-time setup an operator does before the pipeline runs (platform/infra/github-actions.md).
    assert.equal((await runCli(['init'], { ...sandbox.env, ...vars }, project.dir)).code, 0);
  });

  test('plan.yml: doctor, then plan --all --summary github writes the job summary and the comment it hands on', async () => {
    const run = await runJob(workflow('plan.yml'), 'plan', options);
    passed(run);
    assert.deepEqual(
      run.steps.map((s) => s.step),
      ['npm run doctor -- --all', 'Plan every unit'],
    );
    const plan = run.steps[1]?.outputs ?? {};
    assert.equal(plan['exit-code'], '2', 'the output says "changes"; the step itself exited 0');
    assert.match(run.summary, /^<!-- devcontainer-ecr-plan -->\n### Terraform plan for `0123456789ab`\n/);
    assert.match(run.summary, /\| `us-east-1\/ecr-public-repository` \| planned \| `\+1 ~0 -0` \|/);
    assert.match(run.summary, /\| `us-east-1\/github-actions-ecr-push` \| planned \| `\+2 ~0 -0` \|/);
    assert.match(run.summary, /\(https:\/\/github\.example\/o\/r\/actions\/runs\/42\)/);
    assert.equal(plan.summary, run.summary, 'the comment and the job summary say the same');
    // What actions/cache saves at the end of a cold run: the folder terraform installed the provider into.
    assert.deepEqual(run.cachedPaths, [run.env.TF_PLUGIN_CACHE_DIR]);
    assert.equal(run.env.TF_PLUGIN_CACHE_DIR, join(project.dir, '.terraform-plugin-cache'));
    assert.ok((await readdir(join(run.env.TF_PLUGIN_CACHE_DIR ?? '', 'registry.terraform.io/hashicorp/aws'))).length > 0);
  });

  test("apply.yml: the plan job's summary shows what is approved; the apply job applies exactly those plans and publishes the outputs", async () => {
    const plan = await runJob(workflow('apply.yml'), 'plan', options);
    passed(plan);
    assert.match(plan.summary, /\| `us-east-1\/github-actions-ecr-push` \| planned \| `\+2 ~0 -0` \|/);
    const apply = await runJob(workflow('apply.yml'), 'apply', options);
    passed(apply);
    const outputs = apply.steps.at(-1)?.outputs ?? {};
    assert.deepEqual(Object.keys(outputs), ['ALIAS', 'ACCOUNT_ID', 'REPOSITORY_NAME', 'REPOSITORY_ARN', 'REPOSITORY_URI', 'ROLE_ARN']);
    assert.equal(outputs.ROLE_ARN, 'arn:aws:iam::123456789012:role/github-actions-ecr-push');
    assert.equal(outputs.REPOSITORY_URI, 'public.ecr.aws/sandbox-alias/caylent-solutions/devcontainer-base');
  });

  test('drift.yml: the report it hands to the issue step, in sync and then unapplied; the job passes both times', async () => {
    const report = async (): Promise<Array<{ unit: string; status: string }>> => {
      const run = await runJob(workflow('drift.yml'), 'detect', options);
      passed(run);
      const text = run.steps.find((s) => s.outputs.report !== undefined)?.outputs.report ?? '';
      return (JSON.parse(text) as { units: Array<{ unit: string; status: string }> }).units;
    };
    assert.deepEqual(
      (await report()).map((u) => u.status),
      ['in-sync', 'in-sync'],
    );
    const hcl = join(project.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.hcl');
    await writeFile(hcl, (await readFile(hcl, 'utf8')).replace('for global low-latency pulls', 'for low-latency pulls worldwide'));
    const after = await report();
    assert.equal(after.find((u) => u.unit === 'us-east-1/ecr-public-repository')?.status, 'unapplied');
  });
});
