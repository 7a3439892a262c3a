import { TaskError } from '../core/errors.js';
import type { ResolveResult, ToolName, ToolPaths, ToolStatus } from './resolve.js';

/** One line for an unavailable tool: name, pinned version and the first line of why. */
export function unavailableReason(status: ToolStatus): string {
  return `${status.name} ${status.required}: ${status.detail.split('\n')[0] ?? ''}`;
}

/** Throws one TaskError naming every unavailable tool among `names` and why. */
export function requireTools(result: ResolveResult, names: readonly ToolName[]): ToolPaths {
  const unresolved = names.filter((name) => !result.statuses.some((s) => s.name === name));
  if (unresolved.length > 0) throw new Error(`bug: requireTools(${unresolved.join(', ')}) before resolveTools resolved them`);
  const missing = result.statuses.filter((s) => names.includes(s.name) && s.source === 'unavailable');
  if (missing.length === 0) return result.paths;
  // The causes first (a newcomer reads the first lines), then the builds they stopped, in one line.
  const causes = missing.filter((s) => s.stopped !== true).map((s) => `- ${s.name} ${s.required}: ${s.detail}`);
  const stopped = missing.filter((s) => s.stopped === true).map((s) => s.name);
  const rest = stopped.length === 0 ? [] : [`- not finished, stopped by the failure above: ${stopped.join(', ')}`];
  throw new TaskError(`missing tools:\n${[...causes, ...rest].join('\n')}`, {
    code: 'TOOLS_UNAVAILABLE',
    hint: 'fix what the first lines say: install the pinned terraform and terragrunt with asdf install (.tool-versions); contributors offline: npm run tools',
  });
}
