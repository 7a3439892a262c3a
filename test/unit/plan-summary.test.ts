import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { marker, parsePlanTable, planSummary, problemLines, upsertPlanComment } from '../../.github/scripts/plan-summary.mjs';
import { summaryTable, type UnitResult } from '../../lib/deploy/all.js';

/** What `npm run plan -- --all --detailed-exitcode 2>&1` printed against the sandbox (trimmed), around the task's own table. */
function planLog(results: UnitResult[], problems = ''): string {
  return [
    '> devcontainer-ecr-public@0.1.0 plan',
    'AWS identity: arn:aws:sts::123456789012:user/moto (account 123456789012)',
    '',
    '=== us-east-1/ecr-public-repository ===',
    'Plan: 1 to add, 0 to change, 0 to destroy.',
    problems,
    '',
    // The table as the task renders it, so a change of its format breaks this test, not the workflow.
    summaryTable(results),
    'Plans saved next to each unit; npm run apply -- --all applies them while they are current.',
    '',
  ].join('\n');
}

const unit = (name: string, result: string, changes: string, durationMs: number): UnitResult => ({
  unit: `us-east-1/${name}`,
  result,
  changes,
  durationMs,
  ok: result !== 'failed' && !result.startsWith('not run'),
});

describe('plan-summary.mjs', () => {
  it("reads the task's table, cells with spaces included", () => {
    const log = planLog([
      unit('ecr-public-repository', 'failed', '-', 6200),
      unit('github-actions-ecr-push', 'not run (us-east-1/ecr-public-repository failed)', '-', 0),
    ]);
    assert.deepEqual(parsePlanTable(log), [
      { unit: 'us-east-1/ecr-public-repository', result: 'failed', changes: '-', duration: '6.2 s' },
      {
        unit: 'us-east-1/github-actions-ecr-push',
        result: 'not run (us-east-1/ecr-public-repository failed)',
        changes: '-',
        duration: '0.0 s',
      },
    ]);
    assert.equal(parsePlanTable('Error: no credentials\n'), undefined);
    // Colour codes (a terminal) do not hide it.
    assert.equal(parsePlanTable(`\u001b[1m${log}\u001b[0m`)?.length, 2);
  });

  it('exit 2: changes, with the table, the commit and the run', () => {
    const log = planLog([
      unit('ecr-public-repository', 'planned', '+1 ~0 -0', 4300),
      unit('github-actions-ecr-push', 'no changes', '0', 6100),
    ]);
    const md = planSummary(log, { exitCode: 2, runUrl: 'https://github.example/o/r/actions/runs/9', commit: '0123456789abcdef0123' });
    assert.equal(
      md,
      [
        marker,
        '### Terraform plan for `0123456789ab`',
        '',
        'Changes in 1 of 2 units. After merge, the apply workflow applies them once approved.',
        '',
        '| Unit | Result | Changes | Duration |',
        '| --- | --- | --- | --- |',
        '| `us-east-1/ecr-public-repository` | planned | `+1 ~0 -0` | 4.3 s |',
        '| `us-east-1/github-actions-ecr-push` | no changes | `0` | 6.1 s |',
        '',
        "[The plans in full](https://github.example/o/r/actions/runs/9) (the workflow run's log).",
        '',
      ].join('\n'),
    );
  });

  it('exit 0: no changes; exit 1: the failure and its lines, each once', () => {
    const clean = planSummary(planLog([unit('ecr-public-repository', 'no changes', '0', 5000)]), { exitCode: 0 });
    assert.match(clean, /^No changes in any of the 1 units\.$/m);
    assert.doesNotMatch(clean, /Problems/);
    const problems = [
      '✖ us-east-1/github-actions-ecr-push: terragrunt failed with exit code 1',
      '  command:   terragrunt plan --non-interactive',
      '  | Error: Reference to undeclared resource',
      '  | ERRO[0006] error occurred:',
      '  | Error: Reference to undeclared resource',
      '  fix: Read the terraform error above; npm run doctor checks credentials, bucket and tools.',
    ].join('\n');
    const log = planLog([unit('github-actions-ecr-push', 'failed', '-', 6200)], problems);
    assert.deepEqual(problemLines(log), [
      '✖ us-east-1/github-actions-ecr-push: terragrunt failed with exit code 1',
      '  | Error: Reference to undeclared resource',
      '  fix: Read the terraform error above; npm run doctor checks credentials, bucket and tools.',
    ]);
    const failed = planSummary(log, { exitCode: 1 });
    assert.match(failed, /^The plan failed \(exit 1\)\.$/m);
    assert.match(failed, /\| `us-east-1\/github-actions-ecr-push` \| failed \| `-` \| 6\.2 s \|/);
    assert.match(failed, /~~~text\n✖ us-east-1\/github-actions-ecr-push: terragrunt failed with exit code 1\n/);
  });

  it('a run stopped before the units says so, and a | in a cell cannot break the table', () => {
    const early = planSummary('✖ CREDENTIALS_MISSING: no credentials\n  fix: aws sso login\n', { exitCode: 1 });
    assert.match(early, /~~~text\n✖ CREDENTIALS_MISSING: no credentials\n {2}fix: aws sso login\n~~~/);
    assert.doesNotMatch(early, /\| Unit \|/);
    assert.match(planSummary('nothing useful', { exitCode: 1 }), /no summary table: see the run log/);
    const piped = planSummary(planLog([unit('a|b', 'planned', '+1 ~0 -0', 1000)]), { exitCode: 2 });
    assert.match(piped, /\| `us-east-1\/a\\\|b` \|/);
  });

  it('creates the comment once, then updates the bot comment holding the marker', async () => {
    const calls: string[] = [];
    const comments: Array<{ id: number; body: string; user: { type: string } }> = [
      { id: 1, body: `a person quoting ${marker}`, user: { type: 'User' } },
    ];
    const github = {
      paginate: () => Promise.resolve(comments),
      rest: {
        issues: {
          listComments: 'listComments',
          createComment: (p: Record<string, unknown>) => Promise.resolve(calls.push(`create #${String(p.issue_number)}`)),
          updateComment: (p: Record<string, unknown>) => Promise.resolve(calls.push(`update ${String(p.comment_id)}`)),
        },
      },
    };
    const repo = { owner: 'o', repo: 'r' };
    assert.equal(await upsertPlanComment(github, repo, 7, `${marker}\nfirst`), 'created');
    comments.push({ id: 42, body: `${marker}\nfirst`, user: { type: 'Bot' } });
    assert.equal(await upsertPlanComment(github, repo, 7, `${marker}\nsecond`), 'updated');
    assert.deepEqual(calls, ['create #7', 'update 42']);
  });
});
