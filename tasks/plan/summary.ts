// The Markdown of `plan --all --summary github`: the job summary, and the body of the one
// pull-request comment the plan workflow keeps (.github/scripts/plan-comment.mjs finds that
// comment again by the marker on the summary's first line).
import { ExitCode } from '../../lib/core/errors.js';
import type { Failure, UnitResult } from '../../lib/deploy/all.js';

/** The summary's first line: hidden in the rendered comment, it marks the comment a later run updates. */
export const planSummaryMarker = '<!-- devcontainer-ecr-plan -->';

/** What a run of plan --all came to. */
export interface PlanReport {
  /** Every unit's row; empty when the run stopped before planning any unit. */
  results: readonly UnitResult[];
  /** Terraform's detailed meaning: 0 no changes, 2 changes; else the task's failure code. */
  exitCode: number;
  /** A failure that stopped the run before or between the units (credentials, the state bucket, ...). */
  stopped?: Failure;
}

/** Where the summary was made, when known: the commit planned and the workflow run holding the full log. */
export interface SummaryContext {
  commit?: string | undefined;
  runUrl?: string | undefined;
}

/** The commit and run of the GitHub Actions job, from the variables its runner sets for every step. */
export function summaryContext(env: NodeJS.ProcessEnv): SummaryContext {
  const { GITHUB_SHA, GITHUB_SERVER_URL, GITHUB_REPOSITORY, GITHUB_RUN_ID } = env;
  const runUrl =
    GITHUB_SERVER_URL && GITHUB_REPOSITORY && GITHUB_RUN_ID
      ? `${GITHUB_SERVER_URL}/${GITHUB_REPOSITORY}/actions/runs/${GITHUB_RUN_ID}`
      : undefined;
  return { commit: GITHUB_SHA || undefined, runUrl };
}

/** One failure's lines: its headline, the terraform error lines it quotes (each once), and its fix. */
function failureLines(subject: string, failure: Failure): string[] {
  const [headline = '', ...rest] = failure.message.split('\n');
  // terragrunt repeats terraform's error headline; one is enough.
  const quoted = [...new Set(rest.map((line) => line.trim()).filter((line) => line.startsWith('|')))];
  return [`✖ ${subject}${headline}`, ...quoted.map((line) => `  ${line}`), ...(failure.hint ? [`  fix: ${failure.hint}`] : [])];
}

/** The problems as a text block whose fence no line can close early. */
function problemBlock(report: PlanReport): string[] {
  const lines = [
    ...report.results.flatMap((r) => (r.failure ? failureLines(`${r.unit}: `, r.failure) : [])),
    ...(report.stopped ? failureLines('', report.stopped) : []),
  ];
  if (lines.length === 0) return [];
  const longest = Math.max(2, ...lines.map((line) => Math.max(0, ...[...line.matchAll(/~+/g)].map((m) => m[0].length))));
  const fence = '~'.repeat(longest + 1);
  return ['Problems:', '', `${fence}text`, ...lines, fence, ''];
}

function verdict(report: PlanReport): string {
  const count = report.results.length;
  if (report.exitCode === ExitCode.ok) return `No changes in any of the ${count} units.`;
  if (report.exitCode === ExitCode.planChanges) {
    const changed = report.results.filter((r) => r.result === 'planned').length;
    return `Changes in ${changed} of ${count} units; the apply workflow applies them once approved.`;
  }
  return count === 0 ? `The plan failed (exit ${report.exitCode}) before planning any unit.` : `The plan failed (exit ${report.exitCode}).`;
}

/** A table cell: a `|` would end it early. */
const cell = (text: string): string => text.replaceAll('|', '\\|');

/** The Markdown for the job summary and the comment, the marker first. */
export function planSummary(report: PlanReport, context: SummaryContext): string {
  const commit = context.commit ? ` for \`${context.commit.slice(0, 12)}\`` : '';
  const out = [planSummaryMarker, `### Terraform plan${commit}`, '', verdict(report), ''];
  if (report.results.length > 0) {
    out.push('| Unit | Result | Changes | Duration |', '| --- | --- | --- | --- |');
    for (const r of report.results)
      out.push(`| \`${cell(r.unit)}\` | ${cell(r.result)} | \`${cell(r.changes)}\` | ${(r.durationMs / 1000).toFixed(1)} s |`);
    out.push('');
  }
  out.push(...problemBlock(report));
  if (context.runUrl) out.push(`[The plans in full](${context.runUrl}) (the workflow run's log).`, '');
  return out.join('\n');
}
