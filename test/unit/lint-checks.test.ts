import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { parseCommandLine } from '../../cli/parser.js';
import { TaskError } from '../../lib/core/errors.js';
import { lintChecks, selectChecks, toolsFor } from '../../lib/lint/checks.js';
import { lintSteps, type LintInputs } from '../../lib/lint/steps.js';
import type { ToolPaths } from '../../lib/tools/resolve.js';
import { readToolsLock } from '../../lib/tools/tools-lock.js';

const tools = Object.fromEntries(
  ['terraform', 'terragrunt', 'tflint', 'tflintPluginDir', 'actionlint', 'checkov', 'motoServer'].map((k) => [k, `/tools/${k}`]),
) as unknown as ToolPaths;

const { terraformProvider: providerPin } = await readToolsLock(process.cwd());

const inputs = (missing: LintInputs['missing'] = {}): LintInputs => ({
  projectDir: '/p',
  tools,
  missing,
  infra: { root: '/p/platform/infra/terragrunt', tree: '/p/platform/infra' },
  modules: [{ source: '/p/platform/infra/terraform-modules/m', dir: '/tmp/copy/m' }],
  rootHclEnv: {},
  workflows: ['.github/workflows/apply.yml', '.github/workflows/plan.yml'],
  providerPin,
});

describe('lint --only', () => {
  it('selects checks by name, in lint order, and refuses an unknown one with the list (exit 64)', () => {
    assert.deepEqual(selectChecks(undefined), [...lintChecks]);
    assert.deepEqual(selectChecks(['tflint', 'eslint', 'tflint']), ['eslint', 'tflint']);
    assert.throws(
      () => selectChecks(['eslint', 'shellcheck']),
      (error: unknown) =>
        error instanceof TaskError &&
        error.code === 'USAGE' &&
        error.exitCode === 64 &&
        error.message === 'unknown lint check "shellcheck"' &&
        error.hint === `pick from: ${lintChecks.join(', ')}`,
    );
  });

  it('resolves only the tools the chosen checks run', () => {
    assert.deepEqual(toolsFor(['eslint', 'prettier', 'knip', 'depcruise']), []);
    assert.deepEqual(toolsFor(['terraform-fmt', 'terraform-validate']), ['terraform'], 'the source-built provider only where asked for');
    assert.deepEqual(toolsFor(['actionlint']), ['actionlint']);
    assert.deepEqual(toolsFor([...lintChecks]).sort(), [
      'actionlint',
      'checkov',
      'terraform',
      'terragrunt',
      'tflint',
      'tflint-ruleset-aws',
    ]);
  });

  it('every check has its steps, and every step belongs to a check', () => {
    const steps = lintSteps(inputs());
    assert.deepEqual([...new Set(steps.map((s) => s.check))].sort(), [...lintChecks].sort());
    assert.deepEqual(
      steps.filter((s) => s.check === 'tflint' || s.check === 'terraform-validate').map((s) => s.name),
      ['terraform validate (m)', 'tflint (m)'],
    );
  });

  it('actionlint checks the workflows it is given, and fails with the reason when it or they are missing', () => {
    const step = lintSteps(inputs()).find((s) => s.check === 'actionlint');
    assert.deepEqual(step && { bin: step.bin, args: step.args, cwd: step.cwd }, {
      bin: '/tools/actionlint',
      args: ['-no-color', '.github/workflows/apply.yml', '.github/workflows/plan.yml'],
      cwd: '/p',
    });
    const missing = lintSteps(inputs({ actionlint: 'actionlint 1.7.12: not installed (fix: npm run tools)' })).find(
      (s) => s.check === 'actionlint',
    );
    assert.equal(missing?.unavailable, 'actionlint 1.7.12: not installed (fix: npm run tools)');
    const none = lintSteps({ ...inputs(), workflows: [] }).find((s) => s.check === 'actionlint');
    assert.equal(none?.unavailable, 'no workflow under .github/workflows');
  });

  it('the CLI reads --only into the lint options', () => {
    const only = (argv: string[]): unknown => {
      const line = parseCommandLine(['lint', ...argv], {});
      assert.equal(line.help, undefined);
      return 'args' in line ? line.args.only : 'no flags';
    };
    assert.deepEqual(only(['--only', 'eslint', 'actionlint']), ['eslint', 'actionlint']);
    assert.equal(only([]), undefined);
  });
});

describe('.pre-commit-config.yaml', () => {
  interface Hook {
    id: string;
    entry: string;
    language: string;
    files: string;
    pass_filenames: boolean;
  }

  it('has one hook per lint check, each running that check of the lint task over the project', async () => {
    const config = parse(await readFile('.pre-commit-config.yaml', 'utf8')) as { repos: Array<{ repo: string; hooks: Hook[] }> };
    assert.deepEqual(
      config.repos.map((r) => r.repo),
      ['local'],
    );
    const hooks = config.repos[0]?.hooks ?? [];
    const [build, ...checks] = hooks;
    assert.equal(build?.entry, 'node_modules/.bin/tsc -p tsconfig.json', 'dist/ is rebuilt before the hooks that run it');
    assert.deepEqual(
      checks.map((h) => h.id),
      [...lintChecks],
    );
    for (const hook of checks) {
      assert.equal(hook.entry, `node dist/cli/main.js -- lint --only ${hook.id}`);
      assert.equal(hook.language, 'system');
      assert.equal(hook.pass_filenames, false, `${hook.id}: the check runs over the project, as in CI`);
    }
    const covers = (id: string, file: string): boolean => new RegExp(checks.find((h) => h.id === id)?.files ?? '^$').test(file);
    assert.ok(covers('actionlint', '.github/workflows/plan.yml'));
    assert.ok(covers('eslint', '.github/scripts/plan-comment.mjs'));
    assert.ok(covers('tflint', 'platform/infra/terraform-modules/ecr-public-repository/main.tf'));
    assert.ok(covers('terragrunt-fmt', 'platform/infra/terragrunt/root.hcl'));
    assert.ok(!covers('checkov', 'lib/lint/steps.ts'));
  });
});
