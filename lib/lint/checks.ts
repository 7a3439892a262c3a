import { ExitCode, TaskError } from '../core/errors.js';
import type { ToolName } from '../tools/resolve.js';

/**
 * The checks `npm run lint` runs, by the names `lint --only` takes (the pre-commit hooks
 * run one each, so a hook and CI run the same command). A check may be several steps:
 * terraform validate and tflint run once per module.
 */
export const lintChecks = [
  'eslint',
  'prettier',
  'knip',
  'depcruise',
  'terraform-fmt',
  'terragrunt-fmt',
  'terragrunt-validate',
  'provider-locks',
  'terraform-validate',
  'tflint',
  'checkov',
  'actionlint',
] as const;
export type LintCheck = (typeof lintChecks)[number];

/** The pinned tools each check runs (the npm ones come with npm ci). */
const toolsOf: Record<LintCheck, readonly ToolName[]> = {
  eslint: [],
  prettier: [],
  knip: [],
  depcruise: [],
  'terraform-fmt': ['terraform'],
  'terragrunt-fmt': ['terragrunt'],
  'terragrunt-validate': ['terragrunt'],
  'provider-locks': [],
  // And the source-built provider, where TOOLS_PROVIDER_MIRROR asks for it (tasks/lint.ts).
  'terraform-validate': ['terraform'],
  tflint: ['tflint', 'tflint-ruleset-aws'],
  checkov: ['checkov'],
  actionlint: ['actionlint'],
};

/** `--only` values checked against the check names; every check when absent. Duplicates are dropped, the order is lint's own. */
export function selectChecks(only: readonly string[] | undefined): LintCheck[] {
  if (only === undefined) return [...lintChecks];
  const unknown = only.filter((name) => !(lintChecks as readonly string[]).includes(name));
  if (unknown.length > 0) {
    throw new TaskError(`unknown lint check ${unknown.map((u) => `"${u}"`).join(', ')}`, {
      code: 'USAGE',
      hint: `pick from: ${lintChecks.join(', ')}`,
      exitCode: ExitCode.config,
    });
  }
  return lintChecks.filter((check) => only.includes(check));
}

/** The tools to resolve for these checks, each once. */
export function toolsFor(checks: readonly LintCheck[]): ToolName[] {
  return [...new Set(checks.flatMap((check) => toolsOf[check]))];
}
