import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { unitDirectory, type DeployContext } from '../../lib/deploy/prepare.js';
import { discardPlan, planPaths, recordPlan, savedPlan } from '../../lib/terragrunt/saved-plan.js';
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
  await recordPlan(dc, project.dir, true);
  assert.equal(await savedPlan(dc, project.dir), 'changes');
  await recordPlan(dc, project.dir, false);
  assert.equal(await savedPlan(dc, project.dir), 'no-changes');
});

test('editing any HCL file or a setting handed to root.hcl makes the saved plan stale', async () => {
  const dc = deployContext();
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  await recordPlan(dc, project.dir, true);
  assert.equal(await savedPlan(deployContext({ stateBucket: 'another-state-bucket' }), project.dir), 'none');
  assert.equal(await savedPlan(deployContext({ iamEndpoint: 'https://127.0.0.1:4566' }), project.dir), 'none');
  const variables = join(project.dir, 'platform/infra/terraform-modules/ecr-public-repository/variables.tf');
  await writeFile(variables, '# edited\n', { flag: 'a' });
  assert.equal(await savedPlan(dc, project.dir), 'none');
});

test('discarding removes the plan and its record', async () => {
  const dc = deployContext();
  await writeFile(planPaths(dc.unitDir).planFile, 'plan');
  await recordPlan(dc, project.dir, true);
  await discardPlan(dc.unitDir);
  assert.equal(await savedPlan(dc, project.dir), 'none');
});
