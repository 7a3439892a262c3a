import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { removeCaches } from '../../lib/cache-cleanup.js';
import { runCli } from '../support/cli.js';

let project: string;
let infra: string;
let deep: string;
before(async () => {
  project = await mkdtemp(join(tmpdir(), 'clean-'));
  infra = join(project, 'platform', 'infra');
  deep = join(infra, 'terragrunt', 'us-east-1', 'unit', '.terragrunt-cache', 'abc', 'def');
  await mkdir(deep, { recursive: true });
  await mkdir(join(infra, 'terraform-modules', 'm', '.terraform', 'providers'), { recursive: true });
  await writeFile(join(infra, 'terragrunt', 'us-east-1', 'unit', 'terragrunt.hcl'), '# unit\n');
});
after(async () => {
  await rm(project, { recursive: true, force: true });
});

test('refuses to delete the tree the shell is in, and deletes nothing', async () => {
  await assert.rejects(removeCaches(infra, deep), /Your shell is inside .*\.terragrunt-cache/);
  assert.ok(existsSync(deep));
});

test('run through the CLI from the project root, removes every cache and keeps the sources and the shell directory', async () => {
  const r = await runCli(['clean'], { INIT_CWD: project }, project);
  assert.equal(r.code, 0, r.stderr);
  assert.match(r.stderr, /Removed 2 cache folder/);
  assert.ok(!existsSync(join(infra, 'terragrunt', 'us-east-1', 'unit', '.terragrunt-cache')));
  assert.ok(!existsSync(join(infra, 'terraform-modules', 'm', '.terraform')));
  assert.ok(existsSync(join(infra, 'terragrunt', 'us-east-1', 'unit', 'terragrunt.hcl')));
  assert.ok(existsSync(project));
});
