import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { markerOf, upsertPlanComment } from '../../.github/scripts/plan-comment.mjs';
import type { Failure, UnitResult } from '../../lib/deploy/all.js';
import { planSummary, planSummaryMarker, summaryContext } from '../../tasks/plan/summary.js';

const unit = (name: string, result: string, changes: string, durationMs: number, failure?: Failure): UnitResult => ({
  unit: `us-east-1/${name}`,
  result,
  changes,
  durationMs,
  ok: result !== 'failed' && !result.startsWith('not run'),
  ...(failure ? { failure } : {}),
});

/** A terragrunt failure as lib/terragrunt/run.ts words it: the headline, the command, the error lines it quotes. */
const terragruntFailure: Failure = {
  message: [
    'terragrunt failed with exit code 1',
    '  command:   terragrunt plan --non-interactive',
    '  directory: /work/platform/infra/terragrunt/us-east-1/github-actions-ecr-push',
    '  | Error: Reference to undeclared resource',
    '  | ERRO[0006] error occurred:',
    '  | Error: Reference to undeclared resource',
  ].join('\n'),
  hint: 'Read the terraform error above; npm run doctor checks credentials, bucket and tools.',
};

describe('the plan summary (plan --all --summary github)', () => {
  it('exit 2: changes, with the table, the commit and the run', () => {
    const results = [unit('ecr-public-repository', 'planned', '+1 ~0 -0', 4300), unit('github-actions-ecr-push', 'no changes', '0', 6100)];
    const md = planSummary(
      { results, exitCode: 2 },
      { runUrl: 'https://github.example/o/r/actions/runs/9', commit: '0123456789abcdef0123' },
    );
    assert.equal(
      md,
      [
        planSummaryMarker,
        '### Terraform plan for `0123456789ab`',
        '',
        'Changes in 1 of 2 units; the apply workflow applies them once approved.',
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

  it('exit 0: no changes; exit 1: the failed unit, its error lines once each, its fix, and the units not run', () => {
    const clean = planSummary({ results: [unit('ecr-public-repository', 'no changes', '0', 5000)], exitCode: 0 }, {});
    assert.match(clean, /^No changes in any of the 1 units\.$/m);
    assert.doesNotMatch(clean, /Problems|plans in full/);
    const results = [
      unit('ecr-public-repository', 'failed', '-', 6200, terragruntFailure),
      unit('github-actions-ecr-push', 'not run (us-east-1/ecr-public-repository failed)', '-', 0),
    ];
    const failed = planSummary({ results, exitCode: 1 }, {});
    assert.match(failed, /^The plan failed \(exit 1\)\.$/m);
    assert.match(failed, /\| `us-east-1\/ecr-public-repository` \| failed \| `-` \| 6\.2 s \|/);
    assert.match(
      failed,
      /\| `us-east-1\/github-actions-ecr-push` \| not run \(us-east-1\/ecr-public-repository failed\) \| `-` \| 0\.0 s \|/,
    );
    const block = /~~~text\n([\s\S]*?)\n~~~/.exec(failed)?.[1];
    assert.deepEqual(block?.split('\n'), [
      '✖ us-east-1/ecr-public-repository: terragrunt failed with exit code 1',
      '  | Error: Reference to undeclared resource',
      '  | ERRO[0006] error occurred:',
      '  fix: Read the terraform error above; npm run doctor checks credentials, bucket and tools.',
    ]);
  });

  it('a run stopped before the units says so; a | in a cell or ~~~ in an error cannot break the Markdown', () => {
    const stopped = { message: 'No AWS credentials found', hint: 'aws sso login --profile ops' };
    const early = planSummary({ results: [], exitCode: 1, stopped }, {});
    assert.match(early, /^The plan failed \(exit 1\) before planning any unit\.$/m);
    assert.match(early, /~~~text\n✖ No AWS credentials found\n {2}fix: aws sso login --profile ops\n~~~\n/);
    assert.doesNotMatch(early, /\| Unit \|/);
    const piped = planSummary({ results: [unit('a|b', 'planned', '+1 ~0 -0', 1000)], exitCode: 2 }, {});
    assert.match(piped, /\| `us-east-1\/a\\\|b` \|/);
    const fenced = planSummary({ results: [], exitCode: 1, stopped: { message: 'x\n  | ~~~~ y', hint: undefined } }, {});
    assert.match(fenced, /\n~~~~~text\n✖ x\n {2}\| ~~~~ y\n~~~~~\n/);
  });

  it("takes the commit and the run's address from the variables GitHub Actions sets", () => {
    const env = { GITHUB_SHA: 'abc', GITHUB_SERVER_URL: 'https://github.example', GITHUB_REPOSITORY: 'o/r', GITHUB_RUN_ID: '7' };
    assert.deepEqual(summaryContext(env), { commit: 'abc', runUrl: 'https://github.example/o/r/actions/runs/7' });
    assert.deepEqual(summaryContext({}), { commit: undefined, runUrl: undefined });
  });
});

describe('plan-comment.mjs', () => {
  it("finds the summary's marker, and refuses a body without one", () => {
    const body = planSummary({ results: [], exitCode: 0 }, {});
    assert.equal(markerOf(body), planSummaryMarker);
    assert.throws(() => markerOf('### Terraform plan\n'), /does not start with its marker/);
  });

  it('creates the comment once, then updates the bot comment holding the marker', async () => {
    const calls: string[] = [];
    const marker = planSummaryMarker;
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
