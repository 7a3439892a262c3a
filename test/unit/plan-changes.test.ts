import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { describe, test } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { summaryOfShow } from '../../lib/terragrunt/plan-changes.js';

/**
 * `terraform show -json` of plans terraform 1.14.5 made (terraform_data resources, so no
 * provider was needed): one that creates, updates, replaces and deletes, and changes an output;
 * one without changes; one that changes an output alone.
 */
const fixture = (name: string): Promise<string> => readFile(`test/fixtures/plan-show/${name}.json`, 'utf8');

describe("a plan's changes come from its JSON", () => {
  test('create, update, replace (one to add and one to destroy) and delete are counted as terraform counts them', async () => {
    // terraform printed "Plan: 2 to add, 1 to change, 2 to destroy." for this plan.
    assert.equal(summaryOfShow(await fixture('changes'), '/u/terragrunt.tfplan'), '+2 ~1 -2');
  });

  test('no changes is 0; outputs alone are a change of nothing', async () => {
    assert.equal(summaryOfShow(await fixture('no-changes'), '/u/terragrunt.tfplan'), '0');
    assert.equal(summaryOfShow(await fixture('outputs-only'), '/u/terragrunt.tfplan'), '+0 ~0 -0');
  });

  test('output that is not a plan JSON is a TaskError naming the plan file and the fix', async () => {
    const whole = await fixture('changes');
    for (const [text, problem] of [
      [whole.slice(0, 100), /is not JSON/],
      ['null', /is not what it should be/],
      [
        '{"format_version": "1.2", "resource_changes": [{"address": "a", "change": {"actions": "create"}}]}',
        /resource_changes\.0\.change\.actions: /,
      ],
    ] as const)
      assert.throws(
        () => summaryOfShow(text, '/u/terragrunt.tfplan'),
        (error: unknown) => {
          assert.ok(error instanceof TaskError, String(error));
          assert.equal(error.exitCode, 1);
          assert.equal(error.code, 'PLAN_UNREADABLE');
          assert.ok(error.message.startsWith('terraform show -json /u/terragrunt.tfplan '), error.message);
          assert.match(error.message, problem);
          assert.equal(error.hint, 'Plan again (npm run plan), or delete the plan file: rm /u/terragrunt.tfplan');
          return true;
        },
      );
  });
});
