import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { settingEnv } from '../../lib/config/setting-env.js';
import { loadConfig, type Overrides } from '../../lib/config/load.js';
import { rehearseLifecycle } from '../../tasks/sandbox/rehearse.js';
import { testContext } from '../support/context.js';

describe('a task that runs other tasks through the registry', () => {
  test('the settings it was given reach the tasks it runs as their environment', () => {
    const overrides: Overrides = { infraDir: '.sandbox/infra/terragrunt', repositoryName: 'rehearsed', unit: 'us-east-1/x' };
    assert.deepEqual(loadConfig({}, settingEnv(overrides)), loadConfig(overrides, {}));
  });

  test('the rehearsal runs each step as the command an operator types, and stops at a failing one', async () => {
    const ran: Array<{ argv: string; infraDir: string | undefined }> = [];
    const ctx = testContext({ env: { DEPLOY_INFRA_DIR: 'platform/infra/terragrunt' } });
    // doctor before init fails (no state bucket yet) and the rehearsal goes on; the failing plan stops it.
    const code = await rehearseLifecycle(
      ctx,
      (argv, sctx) => {
        ran.push({ argv: argv.join(' '), infraDir: sctx.env.DEPLOY_INFRA_DIR });
        return Promise.resolve(argv[0] === 'doctor' ? 1 : argv[0] === 'plan' ? 3 : 0);
      },
      { DEPLOY_CI_ROLES_UNIT: 'us-east-1/ci-roles' },
      { infraDir: '.sandbox/infra/terragrunt' },
    );
    assert.equal(code, 3);
    const infraDir = '.sandbox/infra/terragrunt';
    assert.deepEqual(ran, [
      { argv: 'doctor', infraDir },
      { argv: 'init', infraDir },
      { argv: 'apply --unit us-east-1/ci-roles --yes', infraDir },
      { argv: 'plan --all', infraDir },
    ]);
    assert.ok(ctx.log.lines.includes('\n=== npm run apply -- --unit us-east-1/ci-roles --yes (sandbox) ==='));
  });
});
