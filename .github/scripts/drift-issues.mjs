// The drift workflow's issues: one open issue per unit that `npm run drift -- --json` found out of
// sync (titled `Drift: <unit>`, labelled `drift`), commented on while it stays so, closed once
// the unit is in sync again. Plain Node, no dependencies; the workflow calls syncDriftIssues
// from actions/github-script.

const label = 'drift';

/**
 * @typedef {'in-sync' | 'drifted' | 'unapplied'} DriftStatus
 * @typedef {{ unit: string, status: DriftStatus, changes: string }} UnitDrift
 * @typedef {{ number: number, title: string, pull_request?: unknown }} OpenIssue
 * @typedef {{ action: 'open', unit: string, title: string, body: string, labels: string[] }
 *   | { action: 'update', unit: string, issue: number, body: string }
 *   | { action: 'close', unit: string, issue: number, body: string }} DriftAction
 */

const statuses = ['in-sync', 'drifted', 'unapplied'];

/** @param {string} unit */
export const issueTitle = (unit) => `Drift: ${unit}`;

/**
 * The units of `npm run drift -- --json`, checked: a malformed report must never close an issue.
 * @param {unknown} report
 * @returns {UnitDrift[]}
 */
function driftUnits(report) {
  const units = /** @type {{ units?: unknown } | null} */ (report)?.units;
  if (!Array.isArray(units)) throw new Error('the drift report has no "units" list');
  return units.map((raw, i) => {
    /** @type {Record<string, unknown>} */
    const u = typeof raw === 'object' && raw !== null ? /** @type {Record<string, unknown>} */ (raw) : {};
    const { unit, status, changes } = u;
    if (typeof unit !== 'string' || unit === '' || typeof status !== 'string' || !statuses.includes(status))
      throw new Error(`the drift report's units[${i}] is not { unit, status: ${statuses.join(' | ')}, changes }: ${JSON.stringify(raw)}`);
    return { unit, status: /** @type {DriftStatus} */ (status), changes: typeof changes === 'string' ? changes : '' };
  });
}

/**
 * @param {UnitDrift} u
 * @param {string} run where the run's log is
 */
function finding(u, run) {
  const what =
    u.status === 'drifted'
      ? 'its resources in AWS differ from its Terraform state (changed outside the tasks)'
      : 'planning the configuration on main shows changes that were never applied';
  return `\`npm run drift\` found \`${u.unit}\` **${u.status}**: ${what}. Changes a plan would make: \`${u.changes || '?'}\`. ${run}`;
}

/**
 * What to do with the issues, unit by unit: open one for a unit out of sync that has none,
 * comment on the open one of a unit still out of sync, close the open one of a unit in sync.
 * Issues of units the report does not name are left alone.
 * @param {unknown} report the parsed output of `npm run drift -- --json`
 * @param {readonly OpenIssue[]} openIssues the repository's open issues labelled `drift`
 * @param {string} [runUrl] the workflow run, linked from each comment
 * @returns {DriftAction[]}
 */
export function driftActions(report, openIssues, runUrl) {
  const run = runUrl ? `([workflow run](${runUrl}))` : '';
  /** @type {DriftAction[]} */
  const actions = [];
  for (const u of driftUnits(report)) {
    const title = issueTitle(u.unit);
    // The oldest open issue of the unit (a duplicate opened by hand stays as it is).
    const issue = openIssues
      .filter((i) => i.pull_request === undefined && i.title === title)
      .sort((a, b) => a.number - b.number)[0]?.number;
    if (u.status === 'in-sync') {
      if (issue !== undefined) actions.push({ action: 'close', unit: u.unit, issue, body: `\`${u.unit}\` is in sync again ${run}.` });
    } else if (issue === undefined) {
      const fix =
        `To resolve: \`npm run plan -- --unit ${u.unit}\` shows the difference; apply the configuration through the apply ` +
        'workflow, or change the code to match what is in AWS. The drift workflow comments here on each run that still ' +
        'finds the unit out of sync, and closes this issue on the first run that finds it in sync.';
      actions.push({ action: 'open', unit: u.unit, title, body: `${finding(u, run)}\n\n${fix}`, labels: [label] });
    } else {
      actions.push({ action: 'update', unit: u.unit, issue, body: `Still out of sync. ${finding(u, run)}` });
    }
  }
  return actions;
}

/**
 * @typedef {{
 *   paginate: (route: unknown, params: Record<string, unknown>) => Promise<OpenIssue[]>,
 *   rest: { issues: {
 *     listForRepo: unknown,
 *     create: (params: Record<string, unknown>) => Promise<unknown>,
 *     createComment: (params: Record<string, unknown>) => Promise<unknown>,
 *     update: (params: Record<string, unknown>) => Promise<unknown>,
 *   } },
 * }} IssuesApi the part of actions/github-script's `github` this uses
 */

/**
 * Lists the open drift issues, works out the actions and carries them out.
 * @param {{ github: IssuesApi, repo: { owner: string, repo: string }, report: unknown, runUrl?: string }} options
 * @returns {Promise<DriftAction[]>} what was done
 */
export async function syncDriftIssues({ github, repo, report, runUrl }) {
  const open = await github.paginate(github.rest.issues.listForRepo, { ...repo, state: 'open', labels: label, per_page: 100 });
  const actions = driftActions(report, open, runUrl);
  for (const a of actions) {
    if (a.action === 'open') await github.rest.issues.create({ ...repo, title: a.title, body: a.body, labels: a.labels });
    else await github.rest.issues.createComment({ ...repo, issue_number: a.issue, body: a.body });
    if (a.action === 'close')
      await github.rest.issues.update({ ...repo, issue_number: a.issue, state: 'closed', state_reason: 'completed' });
  }
  return actions;
}
