import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../support/cli.js';
import { projectCopy } from '../../sandbox/project-copy.js';
import { suiteTools } from '../support/tools.js';

// `npm run sandbox -- --faults ...`: the whole rehearsal with the real tools, under faults.
await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

describe('npm run sandbox -- --faults', () => {
  let project: Awaited<ReturnType<typeof projectCopy>>;
  // The rehearsal starts its own sandbox; the tools come from where the tests find them.
  const env = { TOOLS_CACHE_DIR: process.env.TOOLS_CACHE_DIR ?? '', XDG_CACHE_HOME: process.env.XDG_CACHE_HOME ?? '' };

  before(async () => {
    project = await projectCopy();
  });
  after(async () => {
    await project.remove();
  });

  test('an unknown fault is bad input (exit 64) naming the allowed ones; nothing starts', async () => {
    const r = await runCli(['sandbox', '--faults', 's3-lag=3,slow=2'], env, project.dir);
    assert.equal(r.code, 64, r.stderr);
    assert.match(r.stderr, /"slow=2" is not a fault/);
    assert.match(r.stderr, /fix: Give a comma-separated list of s3-lag=N, ecr-lag=N, throttle=N/);
    assert.doesNotMatch(r.stderr, /npm run doctor \(sandbox\)/);
  });

  test('the rehearsal completes under S3 lag, ECR Public lag and throttling together', async () => {
    const r = await runCli(['sandbox', '--faults', 's3-lag=3,ecr-lag=2,throttle=4'], env, project.dir);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, /Sandbox faults: s3-lag=3,ecr-lag=2,throttle=4/);
    assert.match(r.stderr, /Verified caylent-solutions\/devcontainer-base in ECR Public/);
    assert.match(r.stdout, /ROLE_ARN +arn:aws:iam::123456789012:role\/github-actions-ecr-push/);
  });

  test('a session that expires during the rehearsal stops it with the login command', async () => {
    const r = await runCli(['sandbox', '--faults', 'expire=12'], env, project.dir);
    assert.equal(r.code, 1, r.stderr);
    assert.match(r.stderr, /ExpiredToken/);
    assert.match(r.stderr, /aws sso login --profile/);
  });
});
