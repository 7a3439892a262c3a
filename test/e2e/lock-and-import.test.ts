import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import * as ecr from '@aws-sdk/client-ecr-public';
import { listProcesses, runs } from '../../lib/os/processes.js';
import { kill } from 'zx/core';
import type { Sandbox } from '../../sandbox/harness.js';
import { runCli, startCli, type CliResult } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

// Stale locks and adoption, with the real pinned terraform, terragrunt and provider.
const tools = await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);
const repository = 'caylent-solutions/devcontainer-base';

describe('unlock of a dead holder and import of a repository made outside Terraform', () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;
  const bucket = 'e2e-lock-import-state';
  const unitHcl = () => join(project.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.hcl');
  const cli = (args: string[]): Promise<CliResult> => runCli(args, { ...sandbox.env, DEPLOY_STATE_BUCKET: bucket }, project.dir);
  const ecrApi = () => new ecr.ECRPUBLIC(sandbox.clientOptions(sandbox.ecrProxy.url));
  const lockId = async (): Promise<string | undefined> => {
    const s3 = new S3Client(sandbox.clientOptions(sandbox.awsProxy.url));
    try {
      const out = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'us-east-1/ecr-public-repository/terraform.tfstate.tflock' }));
      return (JSON.parse((await out.Body?.transformToString()) ?? '{}') as { ID?: string }).ID;
    } catch (error) {
      if ((error as { name?: string }).name === 'NoSuchKey') return undefined;
      throw error;
    } finally {
      s3.destroy();
    }
  };

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });
  before(async () => {
    for (const step of [['init'], ['apply', '--yes']]) {
      const r = await cli(step);
      assert.equal(r.code, 0, r.stderr);
    }
  });

  test('terraform killed with SIGKILL leaves its lock; unlock refuses while a terraform that may hold it runs here, then releases it', async (t) => {
    const hcl = await readFile(unitHcl(), 'utf8');
    await writeFile(unitHcl(), hcl.replace('for global low-latency pulls', 'for pulls near you'));
    const child = startCli(['apply', '--yes'], { ...sandbox.env, DEPLOY_STATE_BUCKET: bucket }, project.dir);
    // Terraform mid-apply, holding the lock and waiting on ECR Public, dies as in an OOM
    // kill (terragrunt and the task live on): the lock it holds stays behind.
    const exited = once(child, 'close') as Promise<[number]>;
    const held = sandbox.ecrProxy.holdNext((r) => r.target.endsWith('PutRepositoryCatalogData'));
    const release = await Promise.race([held, exited.then(() => assert.fail('apply ended before it changed the catalog'))]);
    // zx's kill walks the tree: terraform's provider plugin dies with it, as in a real OOM kill of the
    // cgroup, instead of running on as an orphan after the project copy is gone.
    for (const p of await listProcesses()) if (runs(p, 'terraform') && p.cwd?.startsWith(project.dir)) await kill(p.pid, 'SIGKILL');
    release();
    const [code] = await exited;
    assert.equal(code, 1);
    const id = await lockId();
    assert.ok(id, 'the killed terraform left its lock');

    // A live terraform here whose state cannot be known (-chdir: it works elsewhere) may be the holder: refused.
    const scratch = await mkdtemp(join(tmpdir(), 'console-'));
    const startConsole = async (args: string[]) => {
      const live = spawn(tools.terraform, args, { cwd: scratch, stdio: ['pipe', 'ignore', 'ignore'] });
      await once(live, 'spawn');
      // Should an assertion fail while it runs, it must not keep this file alive.
      t.after(() => live.kill('SIGKILL'));
      return async () => {
        live.stdin.end();
        await once(live, 'close');
      };
    };
    const stopElsewhere = await startConsole([`-chdir=${scratch}`, 'console']);
    const refused = await cli(['unlock', '--lock-id', id, '--yes']);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, /terraform is still running \(pid \d+: \S+terraform -chdir=/);
    assert.equal(await lockId(), id);
    await stopElsewhere();
    // A terraform that works on no backend state (a console beside the checkout) holds no lock: it does not block.
    const stopBeside = await startConsole(['console']);
    const wrongId = await cli(['unlock', '--lock-id', 'not-the-lock', '--yes']);
    assert.equal(wrongId.code, 1);
    assert.match(wrongId.stderr, new RegExp(`is ${id}`));

    const released = await cli(['unlock', '--lock-id', id, '--yes']);
    assert.equal(released.code, 0, released.stderr);
    assert.match(released.stderr, new RegExp(`Released state lock ${id}`));
    assert.equal(await lockId(), undefined);
    await stopBeside();
    await rm(scratch, { recursive: true, force: true });
    const apply = await cli(['apply', '--yes']);
    assert.equal(apply.code, 0, apply.stderr);
  });

  test('a repository created outside Terraform is imported, and the next plan has no changes', async () => {
    const api = ecrApi();
    const catalog = (await api.getRepositoryCatalogData({ repositoryName: repository })).catalogData ?? {};
    const arn = (await api.describeRepositories({ repositoryNames: [repository] })).repositories?.[0]?.repositoryArn ?? '';
    const tags = (await api.listTagsForResource({ resourceArn: arn })).tags ?? [];
    const destroy = await cli(['destroy', '--yes']);
    assert.equal(destroy.code, 0, destroy.stderr);
    // The same repository, made by hand (console, CLI): Terraform's state no longer knows it.
    await api.createRepository({
      repositoryName: repository,
      catalogData: {
        description: catalog.description,
        aboutText: catalog.aboutText,
        usageText: catalog.usageText,
        architectures: catalog.architectures,
        operatingSystems: catalog.operatingSystems,
      },
      tags,
    });
    api.destroy();
    const imported = await cli(['import']);
    assert.equal(imported.code, 0, imported.stderr);
    assert.match(imported.stdout, /Import successful/);
    const plan = await cli(['plan', '--detailed-exitcode']);
    assert.equal(plan.code, 0, `${plan.stdout}\n${plan.stderr}`);
    assert.match(plan.stdout, /No changes/);
  });
});
