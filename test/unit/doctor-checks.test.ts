import assert from 'node:assert/strict';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { expiryOutcome } from '../../tasks/doctor/aws-checks.js';
import { runCheck, pass, type Providers } from '../../tasks/doctor/check.js';
import { TaskError } from '../../lib/core/errors.js';
import { runtimeChecks } from '../../tasks/doctor/runtime-checks.js';
import { toolChecks } from '../../tasks/doctor/tool-checks.js';
import { testContext } from '../support/context.js';
import { readToolVersions } from '../../lib/tools/tool-versions.js';
import { loadToolSettings } from '../../lib/tools/tool-settings.js';
import { stubTools } from '../support/stub-tools.js';

const identity = { account: '123456789012', arn: 'arn:aws:sts::123456789012:assumed-role/Admin/ops' };
const credentials = { accessKeyId: 'AKID', secretAccessKey: 'secret-value-not-shown' };
const now = new Date('2026-11-26T12:00:00Z');
/** The doctor run's own signal: never aborted here. */
const running = new AbortController().signal;
/** Providers for checks that need nothing: asking for anything is a test failure. */
const nothing: Providers = {
  config: () => Promise.reject(new Error('config was not declared')),
  credentials: () => Promise.reject(new Error('credentials were not declared')),
  terraform: () => Promise.reject(new Error('terraform was not declared')),
};

describe('doctor checks', () => {
  test('an SSO session close to expiry warns with the login command; a longer one passes', () => {
    const config = loadConfig({ profile: 'sso-admin' }, {});
    const soon = expiryOutcome(
      { credentials, identity, expiration: new Date(now.getTime() + 10 * 60000) },
      { config, env: {}, now: () => now },
    );
    assert.equal(soon.status, 'warn');
    assert.match(soon.message, /expires in 10 min/);
    assert.match(soon.hint ?? '', /aws sso login --profile sso-admin/);
    const later = expiryOutcome(
      { credentials, identity, expiration: new Date(now.getTime() + 120 * 60000) },
      { config, env: {}, now: () => now },
    );
    assert.equal(later.status, 'pass');
    const tooShort = expiryOutcome(
      { credentials, identity, expiration: new Date(now.getTime() + 5 * 60000) },
      { config, env: {}, now: () => now },
    );
    assert.equal(tooShort.status, 'warn');
    assert.match(tooShort.message, /expires in 5 min: apply and destroy refuse to start \(DEPLOY_MIN_SESSION_MINUTES=10\)/);
    assert.ok(!JSON.stringify([soon, later, tooShort]).includes('secret-value-not-shown'));
  });

  test('a check that throws becomes a failing line; the others still report', async () => {
    const results = await Promise.all([
      runCheck({ id: 'broken', title: 'Broken', needs: [], run: () => Promise.reject(new Error('boom')) }, 1000, running, nothing),
      runCheck({ id: 'fine', title: 'Fine', needs: [], run: () => pass('ok') }, 1000, running, nothing),
    ]);
    assert.equal(results[0]?.status, 'fail');
    assert.match(results[0]?.message ?? '', /unexpected error: boom/);
    assert.equal(results[1]?.status, 'pass');
  });

  test('a check whose need cannot be had fails with that reason and never runs', async () => {
    let ran = false;
    const noCredentials: Providers = {
      ...nothing,
      config: () => Promise.resolve(loadConfig({}, {})),
      credentials: () => Promise.reject(new TaskError('The SSO session has expired', { code: 'SSO_EXPIRED', hint: 'aws sso login' })),
    };
    const check = {
      id: 'bucket',
      title: 'Bucket',
      needs: ['config', 'credentials'] as const,
      run: () => {
        ran = true;
        return pass('ok');
      },
    };
    const result = await runCheck(check, 1000, running, noCredentials);
    assert.equal(ran, false);
    assert.equal(result.status, 'fail');
    assert.equal(result.message, 'The SSO session has expired');
    assert.equal(result.hint, 'aws sso login');
  });

  test('a check that never answers fails at its bound instead of hanging', async () => {
    const result = await runCheck(
      { id: 'stuck', title: 'Stuck', needs: [], run: () => new Promise(() => undefined) },
      50,
      running,
      nothing,
    );
    assert.equal(result.status, 'fail');
    assert.match(result.message, /did not finish within/);
  });

  describe('tools and runtime', () => {
    let stubs: Awaited<ReturnType<typeof stubTools>>;
    let project: string;
    before(async () => {
      stubs = await stubTools(await readToolVersions(process.cwd()));
      project = await mkdtemp(join(tmpdir(), 'doctor-runtime-'));
      await writeFile(join(project, 'package.json'), JSON.stringify({ engines: { node: '>=99.0.0' }, dependencies: { zx: '8' } }));
    });
    after(async () => {
      await rm(stubs.dir, { recursive: true, force: true });
      await rm(project, { recursive: true, force: true });
    });
    // PATH for the stubs' shell; the version probes are remembered in a cache of this test's own.
    const ctx = () => testContext({ env: { PATH: process.env.PATH ?? '', TOOLS_CACHE_DIR: join(project, 'tools') } });
    const tools = () => loadToolSettings({}, ctx().env);

    test('configured binaries at the pinned versions pass; at another version they fail naming both', async () => {
      const good = toolChecks(ctx(), { terraform: stubs.terraform, terragrunt: stubs.terragrunt, tools });
      const [tf, tg] = await Promise.all(good.slice(0, 2).map((c) => runCheck(c, 10_000, running, nothing)));
      assert.equal(tf?.status, 'pass', tf?.message ?? '');
      assert.equal(tg?.status, 'pass', tg?.message ?? '');
      const bad = await runCheck(
        toolChecks(ctx(), { terraform: '/usr/bin/true', terragrunt: undefined, tools })[0]!,
        10_000,
        running,
        nothing,
      );
      assert.equal(bad.status, 'fail');
      assert.match(bad.message, /DEPLOY_TERRAFORM_PATH=\/usr\/bin\/true is not terraform 1\.14\.5/);
    });

    test('an old Node and missing dependencies fail with their fixes', async () => {
      const [node, deps] = await Promise.all(runtimeChecks(project, 'v20.20.2').map((c) => runCheck(c, 10_000, running, nothing)));
      assert.equal(node?.status, 'fail');
      assert.match(node?.message ?? '', /does not satisfy engines.node >=99.0.0/);
      assert.equal(deps?.status, 'fail');
      assert.match(`${deps?.message} ${deps?.hint}`, /missing: zx.*npm ci/);
    });
  });
});
