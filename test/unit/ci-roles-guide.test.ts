import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { settings } from '../../lib/config/settings.js';
import { excludedFrom, type AllCommand } from '../../lib/deploy/units.js';

// What platform/infra/github-actions.md tells an operator, held against the code it describes:
// the CI roles' unit and its commands, the units CI runs, the settings and repository variables.
const guide = readFileSync(join('platform', 'infra', 'github-actions.md'), 'utf8');
const root = join('platform', 'infra', 'terragrunt');
/** DEPLOY_CI_ROLES_UNIT's default: the unit doctor and the sandbox rehearsal name. */
const ciRolesUnit = settings.find((s) => s.key === 'ciRolesUnit')?.default ?? '';
const ciRolesHcl = readFileSync(join(root, ciRolesUnit, 'terragrunt.hcl'), 'utf8');
const allCommands: AllCommand[] = ['plan', 'apply', 'destroy', 'output'];

/** A unit's `exclude` block as terragrunt reads it: `if` and `actions` (literal values only, as ours are). */
function excludeBlock(hcl: string): { if?: boolean; actions?: string[] } | undefined {
  const block = /^exclude\s*\{([\s\S]*?)^\}/m.exec(hcl)?.[1];
  if (block === undefined) return undefined;
  const actions = /^\s*actions\s*=\s*\[([^\]]*)\]/m.exec(block)?.[1];
  return {
    if: /^\s*if\s*=\s*true\s*$/m.test(block),
    actions: [...(actions ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? ''),
  };
}

/** Every unit folder under the Terragrunt root (relative path), as terragrunt find lists them. */
function unitsUnder(dir: string, prefix = ''): string[] {
  return readdirSync(join(dir, prefix), { withFileTypes: true })
    .filter((e) => e.isDirectory() && !e.name.startsWith('.'))
    .flatMap((e) => {
      const path = prefix === '' ? e.name : `${prefix}/${e.name}`;
      return existsSync(join(dir, path, 'terragrunt.hcl')) ? [path] : unitsUnder(dir, path);
    });
}

describe('the GitHub Actions guide and the CI roles unit', () => {
  test('an exclude block keeps a unit out of the --all runs it lists, as terragrunt run --all does', () => {
    const all = { if: true, actions: ['all'] };
    assert.deepEqual(
      allCommands.map((c) => excludedFrom(c, all)),
      [true, true, true, true],
    );
    assert.deepEqual(
      allCommands.map((c) => excludedFrom(c, { if: true, actions: ['all_except_output'] })),
      [true, true, true, false],
    );
    assert.deepEqual(
      allCommands.map((c) => excludedFrom(c, { if: true, actions: ['apply'] })),
      [false, true, false, false],
    );
    assert.equal(excludedFrom('apply', { if: false, actions: ['all'] }), false);
    assert.equal(excludedFrom('apply', undefined), false);
  });

  test('the operator applies the CI roles with the --unit commands the guide gives; every --all run leaves the unit out', () => {
    for (const task of ['plan', 'apply']) assert.ok(guide.includes(`npm run ${task} -- --unit ${ciRolesUnit}`), `the guide lacks ${task}`);
    const exclude = excludeBlock(ciRolesHcl);
    assert.ok(exclude, 'the CI roles unit has no exclude block');
    for (const command of allCommands) assert.ok(excludedFrom(command, exclude), `--all ${command} would run the CI roles unit`);
  });

  test("the CI roles' ci_units are exactly the units CI runs: every unit but those --all leaves out", () => {
    const listed = [...(/ci_units\s*=\s*\[([^\]]*)\]/.exec(ciRolesHcl)?.[1] ?? '').matchAll(/"([^"]+)"/g)].map((m) => m[1] ?? '');
    const ci = unitsUnder(root).filter((u) => !excludedFrom('apply', excludeBlock(readFileSync(join(root, u, 'terragrunt.hcl'), 'utf8'))));
    assert.ok(ci.includes('us-east-1/ecr-public-repository') && !ci.includes(ciRolesUnit), ci.join(' '));
    assert.deepEqual(listed.sort(), ci.sort());
  });

  test('the guide has no policy to paste: the roles are code', () => {
    assert.doesNotMatch(guide, /```json/);
    assert.doesNotMatch(guide, /"Statement"/);
  });

  test('every setting the CI roles unit reads is among those the guide says to re-apply it for', () => {
    const read = [...new Set([...ciRolesHcl.matchAll(/get_env\("([A-Z0-9_]+)"/g)].map((m) => m[1] ?? ''))];
    assert.ok(read.includes('DEPLOY_PUSH_ROLE_BOUNDARY_NAME'), read.join(' '));
    const reapply = /Apply it again whenever a setting it reads changes([\s\S]*?)\./.exec(guide)?.[1] ?? '';
    for (const name of read) assert.ok(reapply.includes(`\`${name}\``), `the guide does not list ${name}`);
  });

  test('every DEPLOY_ name in the guide is a setting, a repository variable the workflows read, a CI role ARN variable, or one it retires', () => {
    const dir = join('.github', 'workflows');
    const used = readdirSync(dir).flatMap((f) =>
      [...readFileSync(join(dir, f), 'utf8').matchAll(/\bvars\.([A-Z0-9_]+)/g)].map((m) => m[1] ?? ''),
    );
    const outputs = readFileSync(join('platform', 'infra', 'terraform-modules', 'github-actions-ci-roles', 'outputs.tf'), 'utf8');
    const roleVariables = [...outputs.matchAll(/repository variable (DEPLOY_[A-Z_]+)/g)].map((m) => m[1] ?? '');
    assert.deepEqual(roleVariables, ['DEPLOY_PLAN_ROLE_ARN', 'DEPLOY_APPLY_ROLE_ARN']);
    // The single deploy role's ARN of earlier versions, which the guide tells operators to delete.
    const retired = ['DEPLOY_ROLE_ARN'];
    assert.match(guide, /`DEPLOY_ROLE_ARN`, the single deploy role's ARN of earlier versions: delete/);
    const known = new Set([...settings.map((s) => s.env), ...used, ...roleVariables, ...retired]);
    const named = [...new Set([...guide.matchAll(/\b(DEPLOY_[A-Z0-9_]+)\b/g)].map((m) => m[1] ?? ''))];
    assert.deepEqual(
      named.filter((n) => !known.has(n)),
      [],
    );
    for (const name of [...new Set([...used, ...roleVariables])])
      assert.ok(guide.includes(`\`${name}\``), `the guide does not name ${name}`);
  });
});
