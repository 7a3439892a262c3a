import assert from 'node:assert/strict';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { unitDirectory, type DeployContext } from '../../lib/deploy/prepare.js';
import { discardPlan, planPaths, recordPlan, savedPlan, savedSummary } from '../../lib/terragrunt/saved-plan.js';
import { projectCopy } from '../../sandbox/project-copy.js';

let project: Awaited<ReturnType<typeof projectCopy>>;
before(async () => {
  project = await projectCopy();
});
after(async () => {
  await project.remove();
});

/** Only the fields the saved-plan fingerprint reads. */
function deployContext(overrides: Record<string, string> = {}): DeployContext {
  const config = loadConfig(overrides, {});
  return { config, unitDir: unitDirectory(config, project.dir), identity: { account: '123456789012', arn: 'arn' } } as DeployContext;
}

test('a saved plan counts while nothing it was made from changes, and says whether it changes anything', async () => {
  const dc = deployContext();
  assert.equal(await savedPlan(dc, project.dir), 'none');
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  await recordPlan(dc, project.dir, true, '+1 ~0 -0');
  assert.equal(await savedPlan(dc, project.dir), 'changes');
  await recordPlan(dc, project.dir, false, '0');
  assert.equal(await savedPlan(dc, project.dir), 'no-changes');
});

test('editing the unit, its module, root.hcl or a setting handed to root.hcl makes the saved plan stale', async () => {
  const dc = deployContext();
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  await recordPlan(dc, project.dir, true, '+1 ~0 -0');
  assert.equal(await savedPlan(deployContext({ stateBucket: 'another-state-bucket' }), project.dir), 'none');
  assert.equal(await savedPlan(deployContext({ iamEndpoint: 'https://127.0.0.1:4566' }), project.dir), 'none');
  const variables = join(project.dir, 'platform/infra/terraform-modules/ecr-public-repository/variables.tf');
  await writeFile(variables, '# edited\n', { flag: 'a' });
  assert.equal(await savedPlan(dc, project.dir), 'none');
  await recordPlan(dc, project.dir, true, '+1 ~0 -0');
  await writeFile(join(project.dir, 'platform/infra/terragrunt/root.hcl'), '# edited\n', { flag: 'a' });
  assert.equal(await savedPlan(dc, project.dir), 'none');
});

test('editing another unit, or a module only another unit uses, leaves the saved plan current', async () => {
  const dc = deployContext();
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  await recordPlan(dc, project.dir, true, '+1 ~0 -0');
  const other = join(project.dir, 'platform/infra/terragrunt/us-east-1/other-unit');
  const otherModule = join(project.dir, 'platform/infra/terraform-modules/other-module');
  await mkdir(other, { recursive: true });
  await mkdir(otherModule, { recursive: true });
  await writeFile(join(otherModule, 'main.tf'), '# another module\n');
  await writeFile(join(other, 'terragrunt.hcl'), 'terraform {\n  source = "../../../terraform-modules//other-module"\n}\n');
  assert.equal(await savedPlan(dc, project.dir), 'changes');
  await writeFile(join(otherModule, 'main.tf'), '# edited\n', { flag: 'a' });
  assert.equal(await savedPlan(dc, project.dir), 'changes');
});

test("a dependent unit's plan is stale when a unit it depends on changes", async () => {
  const unit = 'us-east-1/dependent-unit';
  const dc = deployContext({ unit });
  await mkdir(dc.unitDir, { recursive: true });
  await writeFile(
    join(dc.unitDir, 'terragrunt.hcl'),
    'terraform {\n  source = "../../../terraform-modules//other-module"\n}\ndependency "repository" {\n  config_path = "../ecr-public-repository"\n}\n',
  );
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  await recordPlan(dc, project.dir, true, '+3 ~0 -0');
  assert.equal(await savedPlan(dc, project.dir), 'changes');
  await writeFile(join(project.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.hcl'), '# edited\n', {
    flag: 'a',
  });
  assert.equal(await savedPlan(dc, project.dir), 'none');
});

test('the provider lock file init writes does not make the saved plan stale', async () => {
  const dc = deployContext();
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  await recordPlan(dc, project.dir, true, '+1 ~0 -0');
  await writeFile(join(dc.unitDir, '.terraform.lock.hcl'), '# written by terragrunt init\n');
  assert.equal(await savedPlan(dc, project.dir), 'changes');
});

test('discarding removes the plan and its record', async () => {
  const dc = deployContext();
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  await recordPlan(dc, project.dir, true, '+1 ~0 -0');
  await discardPlan(dc.unitDir);
  assert.equal(await savedPlan(dc, project.dir), 'none');
});

test('a plan made without the lock is a review, never a plan to apply, even with a plan file beside it', async () => {
  const dc = deployContext();
  await discardPlan(dc.unitDir);
  await recordPlan(dc, project.dir, true, '+1 ~0 -0', false);
  assert.equal(await savedPlan(dc, project.dir), 'reviewed');
  assert.equal(await savedSummary(dc.unitDir), '+1 ~0 -0');
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  assert.equal(await savedPlan(dc, project.dir), 'reviewed');
  assert.equal(await savedPlan(deployContext({ stateBucket: 'another-state-bucket' }), project.dir), 'none');
  await discardPlan(dc.unitDir);
  assert.equal(await savedPlan(dc, project.dir), 'none');
});
