import assert from 'node:assert/strict';
import { cp, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Sandbox } from '../../sandbox/harness.js';
import { projectCopy } from '../../sandbox/project-copy.js';
import { registerSecret, runCli } from '../support/cli.js';
import { sandboxForTests } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';
import { runJob, type JobRun } from '../support/workflow-runner.js';

await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

/** Every step of a job ran and exited 0 (GitHub's own steps, `uses:`, are not run here). */
function passed(run: JobRun): void {
  for (const s of run.steps) assert.equal(s.code, 0, `${s.job}: ${s.step}\n${s.log}`);
}

describe("each workflow's task steps, in order, against the sandbox", () => {
  let sandbox: Sandbox;
  let project: Awaited<ReturnType<typeof projectCopy>>;
  let env: Record<string, string>;
  const workflow = (name: string): string => join(project.dir, '.github/workflows', name);
  const github = {
    sha: '0123456789abcdef0123456789abcdef01234567',
    'event.pull_request.head.sha': '0123456789abcdef0123456789abcdef01234567',
  };

  before(async () => {
    sandbox = await sandboxForTests();
    registerSecret(sandbox.credentials.secretAccessKey);
    registerSecret(sandbox.credentials.sessionToken);
    project = await projectCopy();
    await cp(join(process.cwd(), '.github'), join(project.dir, '.github'), { recursive: true });
    env = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? '',
      NO_COLOR: '1',
      ...sandbox.env,
      DEPLOY_STATE_BUCKET: 'e2e-workflows',
    };
    // The one-time setup an operator does before the pipeline runs (platform/infra/github-actions.md).
    assert.equal((await runCli(['init'], env, project.dir)).code, 0);
  });
  after(async () => {
    await sandbox.stop();
    await project.remove();
  });

  test('plan.yml: doctor, plan --all (exit 2 is changes, not failure), and the summary it writes', async () => {
    const run = await runJob(workflow('plan.yml'), 'plan', project.dir, env, github);
    passed(run);
    assert.deepEqual(
      run.steps.map((s) => s.step.split('\n')[0]),
      ['npm run doctor -- --all', 'Plan every unit (exit 2 means changes, not failure)', 'Summarise the plan'],
    );
    const plan = run.steps.find((s) => s.outputs['exit-code'] !== undefined);
    assert.equal(plan?.outputs['exit-code'], '2');
    assert.match(run.summary, /<!-- devcontainer-ecr-plan -->/);
    assert.match(run.summary, /\| `us-east-1\/ecr-public-repository` \| planned \| `\+1 ~0 -0` \|/);
    assert.match(run.summary, /\| `us-east-1\/github-actions-ecr-push` \| planned \| `\+2 ~0 -0` \|/);
    const summary = run.steps.find((s) => s.outputs.summary !== undefined)?.outputs.summary ?? '';
    assert.equal(`${summary}\n`, run.summary, 'the comment and the job summary say the same');
  });

  test('apply.yml: the plan job saves the plans, the apply job applies exactly those, then publishes the outputs', async () => {
    passed(await runJob(workflow('apply.yml'), 'plan', project.dir, env, github));
    const apply = await runJob(workflow('apply.yml'), 'apply', project.dir, env, github);
    passed(apply);
    const outputs = apply.steps.at(-1)?.outputs ?? {};
    assert.deepEqual(Object.keys(outputs), ['ALIAS', 'ACCOUNT_ID', 'REPOSITORY_NAME', 'REPOSITORY_ARN', 'REPOSITORY_URI', 'ROLE_ARN']);
    assert.equal(outputs.ROLE_ARN, 'arn:aws:iam::123456789012:role/github-actions-ecr-push');
    assert.equal(outputs.REPOSITORY_URI, 'public.ecr.aws/sandbox-alias/caylent-solutions/devcontainer-base');
  });

  test('drift.yml: the report it hands to the issue step, in sync and then unapplied; the job passes both times', async () => {
    const report = async (): Promise<Array<{ unit: string; status: string }>> => {
      const run = await runJob(workflow('drift.yml'), 'detect', project.dir, env, github);
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
