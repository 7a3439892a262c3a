import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { removeCaches } from '../../tasks/clean/cache-cleanup.js';
import { guardFile } from '../../lib/terragrunt/unit-guard.js';
import { runCli } from '../support/cli.js';
import { projectCopy } from '../../sandbox/project-copy.js';

let project: Awaited<ReturnType<typeof projectCopy>>;
let infra: string;
let deep: string;
before(async () => {
  project = await projectCopy();
  infra = join(project.dir, 'platform', 'infra');
  deep = join(infra, 'terragrunt', 'us-east-1', 'ecr-public-repository', '.terragrunt-cache', 'abc', 'def');
  await mkdir(deep, { recursive: true });
  await mkdir(join(infra, 'terraform-modules', 'ecr-public-repository', '.terraform', 'providers'), { recursive: true });
  await writeFile(join(deep, 'main.tf'), '# cached copy\n');
});
after(async () => {
  await project.remove();
});

test('refuses to delete the tree the shell is in, and deletes nothing', async () => {
  await assert.rejects(removeCaches(infra, deep), /Your shell is inside .*\.terragrunt-cache/);
  assert.ok(existsSync(deep));
});

test('refuses to delete a cache while a task holds its unit (a plan using it), and deletes nothing', async () => {
  const unit = join(infra, 'terragrunt', 'us-east-1', 'ecr-public-repository');
  // This test process is alive: its guard stands for a plan that is running.
  await writeFile(join(unit, guardFile), JSON.stringify({ pid: process.pid, what: 'terragrunt plan' }));
  try {
    await assert.rejects(
      removeCaches(infra, project.dir),
      (error: unknown) => error instanceof TaskError && error.code === 'UNIT_BUSY' && error.message.includes('terragrunt plan'),
    );
    assert.ok(existsSync(deep));
  } finally {
    await rm(join(unit, guardFile), { force: true });
  }
});

test('run through the CLI from the project root, removes every cache and keeps the sources and the shell directory', async () => {
  const r = await runCli(['clean'], { INIT_CWD: project.dir }, project.dir);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Removed 2 cache folder/);
  assert.ok(!existsSync(join(infra, 'terragrunt', 'us-east-1', 'ecr-public-repository', '.terragrunt-cache')));
  assert.ok(!existsSync(join(infra, 'terraform-modules', 'ecr-public-repository', '.terraform')));
  assert.ok(existsSync(join(infra, 'terragrunt', 'us-east-1', 'ecr-public-repository', 'terragrunt.hcl')));
  assert.ok(existsSync(project.dir));
});
