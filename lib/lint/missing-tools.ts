import { type ResolveResult } from '../tools/resolve.js';
import { unavailableReason } from '../tools/require.js';
import type { LintInputs } from './steps.js';

/** Why each lint tool is unavailable; the ruleset and (asked for) the provider mirror count against tflint and terraform. */
export function missingTools(result: ResolveResult): LintInputs['missing'] {
  const why = (name: string): string | undefined => {
    const s = result.statuses.find((t) => t.name === name);
    return s?.source === 'unavailable' ? `${unavailableReason(s)} (fix: npm run tools)` : undefined;
  };
  return {
    terraform: why('terraform') ?? why('aws-provider'),
    terragrunt: why('terragrunt'),
    tflint: why('tflint') ?? why('tflint-ruleset-aws'),
    checkov: why('checkov'),
    actionlint: why('actionlint'),
  };
}
