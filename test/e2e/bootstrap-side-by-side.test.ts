import assert from 'node:assert/strict';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, test, type TestContext } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { inspectStateBucket } from '../../lib/state-bucket/converge.js';
import type { FaultSpec } from '../../sandbox/faults.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { registerSecret, runCli } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { terragruntAnchor, type AnchorRun } from '../../bench/terragrunt-anchor.js';
import { suiteTools } from '../support/tools.js';

// Terragrunt 0.99.2's own `backend bootstrap` and `npm run init`, in the same sandbox under
// the same faults, each on a fresh bucket of its own. What terragrunt does is recorded as
// observed with the real binary: the assertions pin it, so a change shows up here.
await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

describe('terragrunt backend bootstrap beside npm run init, same faults', () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });

  /** The S3 error codes the sandbox injected during one run. */
  const faultsSeen = (): string[] => sandbox.awsProxy.requests().flatMap((r) => (r.fault ? [r.fault] : []));

  async function bootstrapUnder(
    t: TestContext,
    faults: FaultSpec,
    bucket: string,
    session: Record<string, string> = {},
  ): Promise<AnchorRun & { faults: string[] }> {
    const anchor = await terragruntAnchor(sandbox, project.dir, { DEPLOY_STATE_BUCKET: bucket, ...session });
    sandbox.faults.set(faults);
    sandbox.awsProxy.resetRequestLog();
    const run = await anchor.bootstrap();
    const seen = faultsSeen();
    sandbox.faults.set({});
    const lastLines = run.output.trim().split('\n').slice(-4).join(' | ');
    t.diagnostic(`terragrunt backend bootstrap: exit ${run.exitCode}, faults met ${seen.join(',') || 'none'}: ${lastLines}`);
    return { ...run, faults: seen };
  }

  async function initUnder(t: TestContext, faults: FaultSpec, bucket: string): Promise<void> {
    await rm(join(project.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/.terragrunt-cache'), {
      recursive: true,
      force: true,
    });
    sandbox.faults.set(faults);
    sandbox.awsProxy.resetRequestLog();
    const init = await runCli(['init'], { ...sandbox.env, DEPLOY_STATE_BUCKET: bucket }, project.dir);
    const seen = faultsSeen();
    sandbox.faults.set({});
    t.diagnostic(`npm run init: exit ${init.code}, faults met ${seen.join(',') || 'none'}`);
    assert.equal(init.code, 0, init.stderr);
    assert.ok(seen.length > 0, 'the faults were met on the way');
    assert.match(init.stderr, /created; set /);
    assert.match(init.stdout, /Terraform has been successfully initialized/);
    const config = loadConfig({}, { ...sandbox.env, DEPLOY_STATE_BUCKET: bucket });
    const state = await inspectStateBucket({ config, signal: new AbortController().signal }, sandbox.credentials, sandbox.accountId);
    assert.ok(state.exists && state.settings.every((s) => s.ok), `hardened: ${JSON.stringify(state.settings)}`);
  }

  test('S3 read-after-create lag: terragrunt stops at the first NoSuchBucket; npm run init waits it out and hardens the bucket', async (t) => {
    const tg = await bootstrapUnder(t, { s3Lag: 3 }, 'side-by-side-lag-tg');
    assert.equal(tg.exitCode, 1);
    // Its first configuration write after the create, with a fix that does not fit: it was bootstrapping.
    assert.match(tg.output, /error putting policy for bucket side-by-side-lag-tg: .*PutBucketPolicy.*NoSuchBucket/);
    assert.match(tg.output, /rerun with --backend-bootstrap/);
    assert.ok(tg.faults.includes('NoSuchBucket'));
    await initUnder(t, { s3Lag: 3 }, 'side-by-side-lag-ours');
  });

  test('throttling (every 3rd request): terragrunt survives it through its SDK retries; so does npm run init', async (t) => {
    const tg = await bootstrapUnder(t, { throttle: 3 }, 'side-by-side-throttle-tg');
    assert.ok(tg.faults.some((f) => f === 'SlowDown' || f === 'Throttling'));
    assert.equal(tg.exitCode, 0, tg.output);
    await initUnder(t, { throttle: 3 }, 'side-by-side-throttle-ours');
  });

  test('a session that expires as the bucket is created: terragrunt reports a bare BadRequest; npm run init names ExpiredToken and the login command', async (t) => {
    sandbox.faults.set({ expire: 3 });
    const tgSession = await sandbox.shortLivedSession();
    const tg = await bootstrapUnder(t, { expire: 3 }, 'side-by-side-expire-tg', tgSession);
    assert.equal(tg.exitCode, 1);
    assert.ok(tg.faults.includes('ExpiredToken'));
    // S3 answers HEAD without a body, and terragrunt shows what the SDK made of that.
    assert.match(tg.output, /HeadBucket.*api error BadRequest: Bad Request/);
    assert.doesNotMatch(tg.output, /ExpiredToken|expired/i);

    sandbox.faults.set({ expire: 3 });
    const session = await sandbox.shortLivedSession();
    registerSecret(session.AWS_SECRET_ACCESS_KEY ?? '');
    registerSecret(session.AWS_SESSION_TOKEN ?? '');
    const init = await runCli(['init'], { ...sandbox.env, ...session, DEPLOY_STATE_BUCKET: 'side-by-side-expire-ours' }, project.dir);
    sandbox.faults.set({});
    t.diagnostic(`npm run init: exit ${init.code}: ${init.stderr.trim().split('\n').slice(-2).join(' | ')}`);
    assert.equal(init.code, 1);
    assert.match(init.stderr, /ExpiredToken/);
    assert.match(init.stderr, /fix: Refresh the session: aws sso login --profile <profile>/);
  });
});
