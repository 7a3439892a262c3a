import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, test } from 'node:test';
import { ListObjectVersionsCommand, S3Client } from '@aws-sdk/client-s3';
import { discardPlan } from '../../lib/terragrunt/saved-plan.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { onFirstOutput, runCli, startCli, type CliResult } from '../support/cli.js';
import { assertNothingRunsIn } from '../support/no-leftovers.js';
import { projectCopy } from '../../sandbox/project-copy.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

// The real pinned terraform, terragrunt and AWS provider against the sandbox, through the CLI.
await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

describe('lifecycle through the npm tasks with the real pinned binaries', () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;
  const bucket = 'e2e-lifecycle-state';
  const unitHcl = () => join(project.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.hcl');

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });

  const cli = (args: string[], extra: Record<string, string> = {}): Promise<CliResult> =>
    runCli(args, { ...sandbox.env, DEPLOY_STATE_BUCKET: bucket, ...extra }, project.dir);
  /**
   * The operator edits the unit and starts over: the plan saved by an earlier step is discarded
   * (apply --yes refuses a saved plan made from other inputs), so apply plans afresh.
   */
  const editUnit = async (hcl: string): Promise<void> => {
    await writeFile(unitHcl(), hcl);
    await discardPlan(dirname(unitHcl()));
  };
  const writes = () =>
    sandbox.awsProxy.requests().filter((r) => r.write && !r.path.includes('.tflock')).length +
    sandbox.ecrPublic.requests().filter((r) => r.write).length;

  test('init creates and hardens the bucket; a second init writes nothing', async () => {
    const first = await cli(['init']);
    assert.equal(first.code, 0, first.stderr);
    assert.match(first.stderr, /created; set /);
    sandbox.awsProxy.resetRequestLog();
    const second = await cli(['init']);
    assert.equal(second.code, 0, second.stderr);
    assert.match(second.stderr, /already hardened, nothing written/);
    assert.equal(sandbox.awsProxy.requests().filter((r) => r.write && !r.path.includes('.tflock')).length, 0);
  });

  test('plan shows one repository to add; apply creates it; output matches the ECR Public server', async () => {
    const plan = await cli(['plan', '--detailed-exitcode']);
    assert.equal(plan.code, 2, plan.stderr);
    assert.match(plan.stdout, /Plan: 1 to add, 0 to change, 0 to destroy/);
    const apply = await cli(['apply', '--yes']);
    assert.equal(apply.code, 0, apply.stderr);
    const out = await cli(['output', '--json']);
    assert.equal(out.code, 0, out.stderr);
    const values = JSON.parse(out.stdout) as Record<string, string>;
    assert.equal(values.ALIAS, sandbox.registryAlias);
    assert.equal(values.ACCOUNT_ID, sandbox.accountId);
    assert.equal(values.REPOSITORY_URI, `public.ecr.aws/${sandbox.registryAlias}/caylent-solutions/devcontainer-base`);
    assert.equal(values.REPOSITORY_ARN, `arn:aws:ecr-public::${sandbox.accountId}:repository/caylent-solutions/devcontainer-base`);
  });

  test('no drift: plan exits 0 and a second apply writes nothing', async () => {
    assert.equal((await cli(['plan', '--detailed-exitcode'])).code, 0);
    sandbox.awsProxy.resetRequestLog();
    sandbox.ecrPublic.resetRequestLog();
    const again = await cli(['apply', '--yes']);
    assert.equal(again.code, 0, again.stderr);
    assert.equal(writes(), 0);
  });

  test('a changed catalog input is drift (exit 2), and apply converges it', async () => {
    const hcl = await readFile(unitHcl(), 'utf8');
    await writeFile(
      unitHcl(),
      hcl.replace(
        /Mirror of mcr\.microsoft\.com\/devcontainers\/base for global low-latency pulls/,
        'Mirror of the devcontainers base image',
      ),
    );
    assert.equal((await cli(['plan', '--detailed-exitcode'])).code, 2);
    const apply = await cli(['apply', '--yes']);
    assert.equal(apply.code, 0, apply.stderr);
    assert.equal((await cli(['plan', '--detailed-exitcode'])).code, 0);
  });

  test('SIGINT during apply reaches terragrunt: exit 130, no lock left, the next plan works', async () => {
    const hcl = await readFile(unitHcl(), 'utf8');
    await editUnit(hcl.replace('Mirror of the devcontainers base image', 'Interrupted change'));
    const child = startCli(['apply', '--yes'], { ...sandbox.env, DEPLOY_STATE_BUCKET: bucket }, project.dir);
    // Exactly one Ctrl-C, as soon as terraform starts planning (its first refresh line).
    onFirstOutput(child, () => child.kill('SIGINT'));
    const [code] = (await once(child, 'close')) as [number];
    assert.equal(code, 130);
    const locks = sandbox.awsProxy.requests().filter((r) => r.path.includes('.tflock'));
    assert.ok(locks.length === 0 || locks.at(-1)?.method === 'DELETE', 'the lock file was not released');
    assert.equal((await cli(['plan'])).code, 0);
  });

  test('a second Ctrl-C stops the run at once, and the lock its dead terraform held is released, not left silently', async (t) => {
    // A change no saved plan holds, so apply plans afresh (and refreshes first).
    const hcl = await readFile(unitHcl(), 'utf8');
    await editUnit(hcl.replace('Interrupted change', 'Interrupted twice'));
    const child = startCli(['apply', '--yes'], { ...sandbox.env, DEPLOY_STATE_BUCKET: bucket }, project.dir);
    // Two presses, as an impatient operator does: the second once the first has reached
    // terragrunt (signals sent back to back would merge into one).
    let stderr = '';
    let second = false;
    child.stderr.on('data', (c: Buffer) => {
      stderr += c.toString();
      if (!second && stderr.includes('Interrupt signal received')) {
        second = true;
        child.kill('SIGINT');
      }
    });
    onFirstOutput(child, () => child.kill('SIGINT'));
    const [code] = (await once(child, 'close')) as [number];
    assert.equal(code, 130, stderr);
    // Terraform is killed while it stops, holding the lock or just after releasing it:
    // either way the task says so, and no lock is left.
    const outcome = /Stopped at once; (released the state lock \S+ that this run held|no state lock was left behind)/.exec(stderr);
    assert.ok(outcome, stderr);
    t.diagnostic(outcome[0]);
    const doctor = JSON.parse((await cli(['doctor', '--json'])).stdout) as {
      checks: Array<{ id: string; status: string; message: string }>;
    };
    const lock = doctor.checks.find((c) => c.id === 'state-lock');
    assert.equal(lock?.message, 'no lock held');
  });

  test('two operators apply at once: one wins, the other names the lock holder; state versions grow by the winner only', async () => {
    const s3 = new S3Client(sandbox.clientOptions(sandbox.awsProxy.url));
    const versions = async () =>
      (
        await s3.send(new ListObjectVersionsCommand({ Bucket: bucket, Prefix: 'us-east-1/ecr-public-repository/terraform.tfstate' }))
      ).Versions?.filter((v) => v.Key?.endsWith('.tfstate')).length ?? 0;
    const before = await versions();
    const hcl = (await readFile(unitHcl(), 'utf8')).replace('Interrupted twice', 'Concurrent change');
    await editUnit(hcl);
    // The second operator: their own checkout of the same change, against the same state.
    const other = await projectCopy();
    await writeFile(join(other.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.hcl'), hcl);
    // Not waiting for the lock (DEPLOY_LOCK_TIMEOUT_SECONDS=0): the second run fails at once.
    const otherCli = (args: string[]) =>
      runCli(args, { ...sandbox.env, DEPLOY_STATE_BUCKET: bucket, DEPLOY_LOCK_TIMEOUT_SECONDS: '0' }, other.dir);
    assert.equal((await otherCli(['init'])).code, 0);
    // The first apply is held mid-change (it holds the state lock) while the second starts.
    const held = sandbox.ecrProxy.holdNext((r) => r.target.endsWith('PutRepositoryCatalogData'));
    const first = cli(['apply', '--yes']);
    const release = await Promise.race([held, first.then((r) => assert.fail(`apply ended before it changed the catalog:\n${r.stderr}`))]);
    const second = await otherCli(['apply', '--yes']);
    release();
    assert.equal((await first).code, 0);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /state lock is held by .*npm run unlock -- --lock-id/s);
    assert.equal(await versions(), before + 1);
    s3.destroy();
    await assertNothingRunsIn(other.dir);
    await other.remove();
  });

  test('with DEPLOY_LOCK_TIMEOUT_SECONDS an apply waits for the lock another run holds, then goes on', async () => {
    const hcl = (await readFile(unitHcl(), 'utf8')).replace('Concurrent change', 'Waited for the lock');
    await editUnit(hcl);
    const other = await projectCopy();
    await writeFile(join(other.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.hcl'), hcl);
    const otherCli = (args: string[]) =>
      runCli(args, { ...sandbox.env, DEPLOY_STATE_BUCKET: bucket, DEPLOY_LOCK_TIMEOUT_SECONDS: '120' }, other.dir);
    assert.equal((await otherCli(['init'])).code, 0);
    const takesLock = (r: { method: string; path: string }): boolean => r.method === 'PUT' && r.path.includes('.tflock');
    const held = sandbox.ecrProxy.holdNext((r) => r.target.endsWith('PutRepositoryCatalogData'));
    const first = cli(['apply', '--yes']);
    const release = await Promise.race([held, first.then((r) => assert.fail(`apply ended before it changed the catalog:\n${r.stderr}`))]);
    // The second run's first try for the lock, while the first run holds it: refused...
    const firstTry = sandbox.awsProxy.holdNext(takesLock);
    const second = otherCli(['apply', '--yes']);
    (await firstTry)();
    // ...and terraform tries again instead of failing: hold that retry until the first run is done.
    const retry = await sandbox.awsProxy.holdNext(takesLock);
    const refused = sandbox.awsProxy.requests().filter((r) => takesLock(r) && r.status === 412);
    assert.ok(refused.length > 0, 'the second run met the lock the first one held');
    release();
    assert.equal((await first).code, 0);
    retry();
    const waited = await second;
    assert.equal(waited.code, 0, waited.stderr);
    await assertNothingRunsIn(other.dir);
    await other.remove();
  });

  test('a second task in the same checkout stops at once and names the running one', async () => {
    const hcl = await readFile(unitHcl(), 'utf8');
    await editUnit(hcl.replace('Waited for the lock', 'Same checkout change'));
    const held = sandbox.ecrProxy.holdNext((r) => r.target.endsWith('PutRepositoryCatalogData'));
    const first = cli(['apply', '--yes']);
    const release = await Promise.race([held, first.then((r) => assert.fail(`apply ended before it changed the catalog:\n${r.stderr}`))]);
    const second = await cli(['plan']);
    release();
    assert.equal((await first).code, 0);
    assert.equal(second.code, 1);
    assert.match(second.stderr, /Another task is running in this unit of this checkout: terragrunt apply \(pid \d+\)/);
  });

  test('destroy removes the repository and keeps the bucket and its state history', async () => {
    const destroy = await cli(['destroy', '--yes']);
    assert.equal(destroy.code, 0, destroy.stderr);
    const out = await cli(['output', '--json']);
    assert.equal(out.code, 1);
    assert.match(out.stderr, /not been applied|OUTPUT_MISSING|npm run apply/);
    const doctor = await cli(['doctor', '--json']);
    const report = JSON.parse(doctor.stdout) as { checks: Array<{ id: string; status: string }> };
    assert.equal(report.checks.find((c) => c.id === 'state-bucket')?.status, 'pass');
  });

  test('the sandbox stopped mid-run: a bounded failure with a diagnostic', async () => {
    await sandbox.awsProxy.close();
    const r = await cli(['plan'], { DEPLOY_AWS_TIMEOUT_SECONDS: '3' });
    assert.equal(r.code, 1);
    assert.match(r.stderr, /unreachable|ECONNREFUSED|connect/i);
  });
});
