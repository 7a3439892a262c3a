import type { TaskContext } from '../../lib/core/context.js';
import { checkExplicit } from '../../lib/tools/toolchain.js';
import { resolveTools, type ResolveResult, type ToolName } from '../../lib/tools/resolve.js';
import type { ToolSettings } from '../../lib/tools/tool-settings.js';
import { fail, pass, type Check, type CheckOutcome } from './check.js';

function outcomeFor(result: ResolveResult, name: ToolName): CheckOutcome {
  const status = result.statuses.find((s) => s.name === name);
  if (!status) return fail(`${name} was not resolved`, 'This is a bug in doctor; please report it.');
  if (status.source !== 'unavailable') return pass(`${status.required} (${status.path})`);
  return fail(`${status.required} not found: ${status.detail.split('\n')[0] ?? ''}`, 'asdf install (reads .tool-versions)');
}

/** Binaries the configuration names (DEPLOY_TERRAFORM_PATH, DEPLOY_TERRAGRUNT_PATH) are checked instead of PATH and cache. */
export interface ConfiguredTools {
  terraform: string | undefined;
  terragrunt: string | undefined;
  /** The tool settings (the cache to look in); throws the bad-input error when one of them is invalid, which fails the check. */
  tools: () => ToolSettings;
}

/** terraform and terragrunt at exactly the .tool-versions pins (the provider: provider-checks.ts). */
export function toolChecks(ctx: TaskContext, configured: ConfiguredTools): Check[] {
  let resolved: Promise<ResolveResult> | undefined;
  const once = (): Promise<ResolveResult> =>
    (resolved ??= resolveTools(ctx, { install: false, only: ['terraform', 'terragrunt'], tools: configured.tools() }));
  const pinned = async (tool: 'terraform' | 'terragrunt', setting: string): Promise<CheckOutcome> => {
    const bin = configured[tool];
    if (bin === undefined) return outcomeFor(await once(), tool);
    await checkExplicit(ctx, { tool, bin, setting, tools: configured.tools() });
    return pass(`pinned version (${bin}, from ${setting})`);
  };
  return [
    { id: 'terraform', title: 'terraform version', needs: [], run: () => pinned('terraform', 'DEPLOY_TERRAFORM_PATH') },
    { id: 'terragrunt', title: 'terragrunt version', needs: [], run: () => pinned('terragrunt', 'DEPLOY_TERRAGRUNT_PATH') },
  ];
}
