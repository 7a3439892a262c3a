import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import type { DeployContext } from '../../lib/deploy/prepare.js';
import { TaskError } from '../../lib/core/errors.js';
import { infraTree } from '../../lib/infra/tree.js';
import { unitDirectory } from '../../lib/deploy/prepare.js';
import { recordPlan } from '../../lib/terragrunt/saved-plan.js';
import { runCli } from '../support/cli.js';
import { projectCopy } from '../../sandbox/project-copy.js';

let project: Awaited<ReturnType<typeof projectCopy>>;
let outside: string;
const outsideCache = (): string => join(outside, 'terragrunt', 'unit', '.terragrunt-cache');

before(async () => {
  project = await projectCopy();
  // Another project beside this one, with a Terragrunt root and a cache of its own.
  outside = await mkdtemp(join(tmpdir(), 'other-project-'));
  await mkdir(outsideCache(), { recursive: true });
  await symlink(join(outside, 'terragrunt'), join(project.dir, 'platform', 'elsewhere'));
});
after(async () => {
  await project.remove();
  await rm(outside, { recursive: true, force: true });
});

function refusal(infraDir: string): TaskError {
  try {
    infraTree(loadConfig({ infraDir }, {}), project.dir);
  } catch (error) {
    assert.ok(error instanceof TaskError, String(error));
    return error;
  }
  assert.fail(`DEPLOY_INFRA_DIR=${infraDir} was accepted`);
}

describe('the infrastructure tree', () => {
  test('the default is the Terragrunt root, and the tree is its parent', () => {
    const tree = infraTree(loadConfig({}, {}), project.dir);
    assert.equal(tree.root, join(project.dir, 'platform/infra/terragrunt'));
    assert.equal(tree.tree, join(project.dir, 'platform/infra'));
  });

  test('a missing folder, one without root.hcl and a link out of the project are bad input with the fix', () => {
    for (const [dir, problem] of [
      ['platform/missing', /is not a folder of the project/],
      ['platform/infra', /has no root\.hcl/],
      ['platform/elsewhere', /leads outside the project/],
    ] as const) {
      const error = refusal(dir);
      assert.equal(error.exitCode, 64);
      assert.match(error.message, new RegExp(`DEPLOY_INFRA_DIR=${dir} `));
      assert.match(error.message, problem);
      assert.match(error.hint ?? '', /platform\/infra\/terragrunt/);
    }
  });

  test('the saved-plan fingerprint reads only the same tree', async () => {
    const config = loadConfig({ infraDir: 'platform/elsewhere' }, {});
    const dc = { config, unitDir: outside, identity: { account: '123456789012', arn: 'arn' } } as DeployContext;
    await assert.rejects(recordPlan(dc, project.dir, true, '0'), /leads outside the project/);
    assert.ok(!existsSync(join(outside, 'terragrunt.tfplan.json')));
  });

  test('clean refuses every way out of the project and deletes nothing there', async () => {
    for (const dir of [join(outside, 'terragrunt'), '../other/terragrunt', 'platform/elsewhere', 'platform/missing']) {
      const r = await runCli(['clean', '--infra-dir', dir], { INIT_CWD: project.dir }, project.dir);
      assert.equal(r.code, 64, `${dir}: ${r.stderr}`);
      assert.match(r.stderr, /infra-dir|DEPLOY_INFRA_DIR/);
      assert.doesNotMatch(r.stderr, /\n\s+at /, 'a stack trace instead of a message');
      assert.ok(existsSync(outsideCache()), `clean --infra-dir ${dir} deleted a cache of another project`);
    }
  });

  test('a Terragrunt root at the top of the project (DEPLOY_INFRA_DIR=.) is its own tree: clean reaches nothing beside the project', async () => {
    const rootHcl = join(project.dir, 'root.hcl');
    await writeFile(rootHcl, '# a root at the top\n');
    try {
      assert.equal(infraTree(loadConfig({ infraDir: '.' }, {}), project.dir).tree, project.dir);
      const r = await runCli(['clean', '--infra-dir', '.'], { INIT_CWD: project.dir }, project.dir);
      assert.equal(r.code, 0, r.stderr);
      assert.ok(existsSync(outsideCache()), 'clean --infra-dir . deleted a cache of the project beside it');
    } finally {
      await rm(rootHcl);
    }
  });

  test('a unit that is a symlink out of the Terragrunt root is bad input, before anything is written', async () => {
    const unitOutside = join(outside, 'terragrunt', 'unit');
    await writeFile(join(unitOutside, 'terragrunt.hcl'), '# a unit of another project\n');
    await symlink(unitOutside, join(project.dir, 'platform/infra/terragrunt/us-east-1/elsewhere'));
    assert.throws(
      () => unitDirectory(loadConfig({ unit: 'us-east-1/elsewhere' }, {}), project.dir),
      (e: unknown) => e instanceof TaskError && e.exitCode === 64 && e.code === 'UNIT_OUTSIDE' && /leads outside/.test(e.message),
    );
    const before = await readdir(unitOutside);
    const r = await runCli(['plan', '--unit', 'us-east-1/elsewhere'], { INIT_CWD: project.dir }, project.dir);
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, /DEPLOY_UNIT=us-east-1\/elsewhere leads outside the Terragrunt root/);
    assert.match(r.stderr, /fix: .*real folder/);
    assert.deepEqual(await readdir(unitOutside), before, 'plan wrote into the unit outside the project');
  });
});
