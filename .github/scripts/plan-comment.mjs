// The plan workflow's pull-request comment: one per pull request, created by the first run and
// updated by later pushes. Its body is the summary `npm run plan -- --all --summary github`
// wrote (tasks/plan/summary.ts), whose first line is a hidden marker; the comment holding
// that marker is the one to update. Plain Node, no dependencies: the workflow calls
// upsertPlanComment from actions/github-script.

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
 * The marker on the summary's first line (an HTML comment). A body without one is refused:
 * without it every run would add a comment instead of updating one.
 * @param {string} body
 * @returns {string}
 */
export function markerOf(body) {
  const first = body.split('\n', 1)[0]?.trim() ?? '';
  if (!/^<!-- [\w.-]+ -->$/.test(first))
    throw new Error(`the plan summary does not start with its marker comment (<!-- name -->): ${JSON.stringify(first.slice(0, 80))}`);
  return first;
}

/**
 * Creates the pull request's plan comment, or updates the one an earlier run left (a bot's
 * comment holding the marker), so each pull request has one.
 * @param {CommentsApi} github
 * @param {{ owner: string, repo: string }} repo
 * @param {number} pullRequest
 * @param {string} body the summary, its marker first
 * @returns {Promise<'created' | 'updated'>}
 */
export async function upsertPlanComment(github, repo, pullRequest, body) {
  const marker = markerOf(body);
  const comments = await github.paginate(github.rest.issues.listComments, { ...repo, issue_number: pullRequest, per_page: 100 });
  const earlier = comments.find((c) => c.user?.type === 'Bot' && (c.body ?? '').includes(marker));
  if (earlier === undefined) {
    await github.rest.issues.createComment({ ...repo, issue_number: pullRequest, body });
    return 'created';
  }
  await github.rest.issues.updateComment({ ...repo, comment_id: earlier.id, body });
  return 'updated';
}
