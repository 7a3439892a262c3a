// The plan workflow's job summary and pull-request comment, built from what `npm run plan -- --all`
// printed: its table (unit, result, changes, duration) and its error lines. Plain Node, no
// dependencies: `node .github/scripts/plan-summary.mjs <plan log> <exit code>` prints Markdown.
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';

/** Marks the one comment the workflow keeps on a pull request, so a later push updates it. */
export const marker = '<!-- devcontainer-ecr-plan -->';

/**
 * @typedef {{ unit: string, result: string, changes: string, duration: string }} PlanRow
 * @typedef {{ exitCode: number, runUrl?: string | undefined, commit?: string | undefined }} SummaryOptions
 */

const ansi = /\u001b\[[0-9;]*[A-Za-z]/g;
const header = /^unit\s+result\s+changes\s+duration$/;

/**
 * The rows of the last table in the log. The table pads each column to its widest cell, so the
 * header's word positions say where each column starts (a result such as `not run (x failed)`
 * and a change count such as `+1 ~0 -0` hold spaces).
 * @param {string} log
 * @returns {PlanRow[] | undefined} undefined when the log holds no table (the run stopped before the units)
 */
export function parsePlanTable(log) {
  const lines = log.replace(ansi, '').split(/\r?\n/);
  let start = -1;
  lines.forEach((line, i) => {
    if (header.test(line.trimEnd())) start = i;
  });
  const head = lines[start];
  if (head === undefined) return undefined;
  const at = ['result', 'changes', 'duration'].map((word) => head.indexOf(word));
  const [result = 0, changes = 0, duration = 0] = at;
  /** @type {PlanRow[]} */
  const rows = [];
  for (const line of lines.slice(start + 1)) {
    const cell = (from = 0, to = line.length) => line.slice(from, to).trim();
    const row = { unit: cell(0, result), result: cell(result, changes), changes: cell(changes, duration), duration: cell(duration) };
    if (!/^\d+(\.\d+)? s$/.test(row.duration) || row.unit === '') break;
    rows.push(row);
  }
  return rows;
}

/**
 * What went wrong, as the tasks print it: `✖ <what>` lines and the terraform error headlines
 * (`| Error: ...`), `fix:` and `not run because` lines that follow them.
 * @param {string} log
 * @returns {string[]}
 */
export function problemLines(log) {
  /** @type {string[]} */
  const kept = [];
  let block = new Set();
  for (const raw of log.replace(ansi, '').split(/\r?\n/)) {
    const line = raw.trimEnd();
    if (!/^\s*(✖|fix:|not run because|\| Error:)/.test(line)) continue;
    // One failure's lines once each (terragrunt repeats terraform's error headline).
    if (line.startsWith('✖')) block = new Set();
    if (block.has(line)) continue;
    block.add(line);
    kept.push(line);
  }
  return kept.slice(0, 30);
}

/** @param {string} text */
const cell = (text) => text.replaceAll('|', '\\|');

/**
 * The Markdown for the job summary and the comment (the marker first).
 * @param {string} log everything `npm run plan -- --all --detailed-exitcode` printed
 * @param {SummaryOptions} options its exit code; the run's address and the commit, when known
 * @returns {string}
 */
export function planSummary(log, options) {
  const rows = parsePlanTable(log) ?? [];
  // plan --all says `planned` for a unit whose plan has changes, `no changes` otherwise.
  const changed = rows.filter((r) => r.result === 'planned');
  const commit = options.commit ? ` for \`${options.commit.slice(0, 12)}\`` : '';
  const verdict =
    options.exitCode === 0
      ? `No changes in any of the ${rows.length} units.`
      : options.exitCode === 2
        ? `Changes in ${changed.length} of ${rows.length} units. After merge, the apply workflow applies them once approved.`
        : `The plan failed (exit ${options.exitCode}).`;
  const out = [marker, `### Terraform plan${commit}`, '', verdict, ''];
  if (rows.length > 0) {
    out.push('| Unit | Result | Changes | Duration |', '| --- | --- | --- | --- |');
    for (const r of rows) out.push(`| \`${cell(r.unit)}\` | ${cell(r.result)} | \`${cell(r.changes)}\` | ${cell(r.duration)} |`);
    out.push('');
  }
  const problems = problemLines(log);
  if (problems.length > 0) out.push('Problems:', '', '~~~text', ...problems, '~~~', '');
  if (rows.length === 0 && problems.length === 0) out.push('The output holds no summary table: see the run log.', '');
  if (options.runUrl) out.push(`[The plans in full](${options.runUrl}) (the workflow run's log).`, '');
  return out.join('\n');
}

/**
 * @typedef {{ id: number, body?: string | null, user?: { type?: string } | null }} IssueComment
 * @typedef {{
 *   paginate: (route: unknown, params: Record<string, unknown>) => Promise<IssueComment[]>,
 *   rest: { issues: {
 *     listComments: unknown,
 *     createComment: (params: Record<string, unknown>) => Promise<unknown>,
 *     updateComment: (params: Record<string, unknown>) => Promise<unknown>,
 *   } },
 * }} CommentsApi the part of actions/github-script's `github` this uses
 */

/**
 * Creates the pull request's plan comment, or updates the one an earlier run left (a bot's
 * comment holding the marker), so each pull request has one.
 * @param {CommentsApi} github
 * @param {{ owner: string, repo: string }} repo
 * @param {number} pullRequest
 * @param {string} body
 * @returns {Promise<'created' | 'updated'>}
 */
export async function upsertPlanComment(github, repo, pullRequest, body) {
  const comments = await github.paginate(github.rest.issues.listComments, { ...repo, issue_number: pullRequest, per_page: 100 });
  const earlier = comments.find((c) => c.user?.type === 'Bot' && (c.body ?? '').includes(marker));
  if (earlier === undefined) {
    await github.rest.issues.createComment({ ...repo, issue_number: pullRequest, body });
    return 'created';
  }
  await github.rest.issues.updateComment({ ...repo, comment_id: earlier.id, body });
  return 'updated';
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const [file, code] = process.argv.slice(2);
  if (file === undefined || code === undefined || !/^\d+$/.test(code)) {
    process.stderr.write('usage: node .github/scripts/plan-summary.mjs <plan log> <exit code>\n');
    process.exit(64);
  }
  const env = process.env;
  const runUrl = env.GITHUB_RUN_ID ? `${env.GITHUB_SERVER_URL}/${env.GITHUB_REPOSITORY}/actions/runs/${env.GITHUB_RUN_ID}` : undefined;
  process.stdout.write(planSummary(readFileSync(file, 'utf8'), { exitCode: Number(code), runUrl, commit: env.PLAN_COMMIT }));
}
