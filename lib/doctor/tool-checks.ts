import type { TaskContext } from '../context.js';
import { resolveTools, type ResolveResult, type ToolName } from '../tools/resolve.js';
import { fail, pass, warn, type Check, type CheckOutcome } from './check.js';

function outcomeFor(result: ResolveResult, name: ToolName, missingIsWarning: boolean): CheckOutcome {
  const status = result.statuses.find((s) => s.name === name);
  if (!status) return fail(`${name} was not resolved`, 'This is a bug in doctor; please report it.');
  if (status.source !== 'unavailable') return pass(`${status.required} (${status.path})`);
  const hint =
    name === 'aws-provider'
      ? 'npm run tools (or let terraform download hashicorp/aws from its registry)'
      : `asdf install (uses .tool-versions), or npm run tools to build ${name} ${status.required}`;
  const message = `${status.required} not found: ${status.detail.split('\n')[0] ?? ''}`;
  return missingIsWarning ? warn(message, hint) : fail(message, hint);
}

/** terraform and terragrunt at exactly the .tool-versions pins; the provider mirror is optional on a laptop. */
export function toolChecks(ctx: TaskContext): Check[] {
  let resolved: Promise<ResolveResult> | undefined;
  const once = (): Promise<ResolveResult> =>
    (resolved ??= resolveTools(ctx, { install: false, only: ['terraform', 'terragrunt', 'aws-provider'] }));
  return [
    { id: 'terraform', title: 'terraform version', run: async () => outcomeFor(await once(), 'terraform', false) },
    { id: 'terragrunt', title: 'terragrunt version', run: async () => outcomeFor(await once(), 'terragrunt', false) },
    { id: 'provider-mirror', title: 'AWS provider mirror', run: async () => outcomeFor(await once(), 'aws-provider', true) },
  ];
}
