import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { driftActions, issueTitle, syncDriftIssues } from '../../.github/scripts/drift-issues.mjs';

const repoUnit = 'us-east-1/ecr-public-repository';
const roleUnit = 'us-east-1/github-actions-ecr-push';
const run = 'https://github.example/o/r/actions/runs/5';

/** `npm run drift -- --json` output. */
const report = (...units: Array<[string, 'in-sync' | 'drifted' | 'unapplied', string]>) => ({
  units: units.map(([unit, status, changes]) => ({ unit, status, changes })),
});

describe('drift-issues.mjs', () => {
  it('opens one issue per unit out of sync that has none, labelled drift', () => {
    const actions = driftActions(report([repoUnit, 'drifted', '+0 ~1 -0'], [roleUnit, 'unapplied', '+3 ~0 -0']), [], run);
    assert.deepEqual(
      actions.map((a) => [a.action, a.unit]),
      [
        ['open', repoUnit],
        ['open', roleUnit],
      ],
    );
    const [first, second] = actions;
    assert.ok(first?.action === 'open' && second?.action === 'open');
    assert.equal(first.title, `Drift: ${repoUnit}`);
    assert.deepEqual(first.labels, ['drift']);
    assert.match(first.body, /\*\*drifted\*\*: its resources in AWS differ from its Terraform state/);
    assert.match(first.body, /`\+0 ~1 -0`/);
    assert.match(first.body, /npm run plan -- --unit us-east-1\/ecr-public-repository/);
    assert.ok(first.body.includes(run));
    assert.match(second.body, /\*\*unapplied\*\*: planning the configuration on main shows changes that were never applied/);
  });

  it('comments on the open issue while out of sync, closes it once in sync, and leaves others alone', () => {
    const open = [
      { number: 12, title: issueTitle(repoUnit) },
      { number: 9, title: issueTitle(roleUnit) },
      { number: 3, title: issueTitle(roleUnit) },
      { number: 20, title: 'Drift: us-east-1/removed-unit' },
      // A pull request with the same title is not an issue.
      { number: 30, title: issueTitle(repoUnit), pull_request: {} },
    ];
    const actions = driftActions(report([repoUnit, 'in-sync', '0'], [roleUnit, 'drifted', '+0 ~1 -0']), open, run);
    assert.deepEqual(
      actions.map((a) => [a.action, a.unit, 'issue' in a ? a.issue : undefined]),
      [
        ['close', repoUnit, 12],
        // The oldest of two open issues of the unit.
        ['update', roleUnit, 3],
      ],
    );
    assert.match(actions[0]?.body ?? '', /is in sync again/);
    assert.match(actions[1]?.body ?? '', /^Still out of sync\. /);
    assert.deepEqual(driftActions(report([repoUnit, 'in-sync', '0']), [], run), [], 'in sync and no issue: nothing to do');
  });

  it('refuses a malformed report rather than close issues on it', () => {
    const open = [{ number: 1, title: issueTitle(repoUnit) }];
    assert.throws(() => driftActions({}, open), /no "units" list/);
    assert.throws(() => driftActions(null, open), /no "units" list/);
    assert.throws(() => driftActions({ units: [{ unit: repoUnit, status: 'fine' }] }, open), /units\[0\] is not/);
    assert.throws(() => driftActions({ units: [{ status: 'in-sync' }] }, open), /units\[0\] is not/);
  });

  it('carries the actions out through the GitHub API: create, comment, comment and close', async () => {
    const calls: Array<[string, Record<string, unknown>]> = [];
    const record = (name: string) => (params: Record<string, unknown>) => Promise.resolve(calls.push([name, params]));
    const github = {
      paginate: (route: unknown, params: Record<string, unknown>) => {
        calls.push(['paginate', { route, ...params }]);
        return Promise.resolve([
          { number: 4, title: issueTitle(roleUnit) },
          { number: 5, title: issueTitle('us-east-1/third') },
        ]);
      },
      rest: {
        issues: { listForRepo: 'listForRepo', create: record('create'), createComment: record('createComment'), update: record('update') },
      },
    };
    const repo = { owner: 'o', repo: 'r' };
    const done = await syncDriftIssues({
      github,
      repo,
      report: report([repoUnit, 'drifted', '+0 ~1 -0'], [roleUnit, 'in-sync', '0'], ['us-east-1/third', 'unapplied', '+1 ~0 -0']),
      runUrl: run,
    });
    assert.deepEqual(
      done.map((a) => a.action),
      ['open', 'close', 'update'],
    );
    assert.deepEqual(
      calls.map(([name, p]) => [name, p.issue_number ?? p.title ?? p.route, p.state ?? p.labels ?? '']),
      [
        ['paginate', 'listForRepo', 'open'],
        ['create', `Drift: ${repoUnit}`, ['drift']],
        ['createComment', 4, ''],
        ['update', 4, 'closed'],
        ['createComment', 5, ''],
      ],
    );
    assert.equal(calls[0]?.[1].labels, 'drift');
  });
});
