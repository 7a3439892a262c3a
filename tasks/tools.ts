import type { TaskContext } from '../lib/core/context.js';
import { ExitCode, TaskError } from '../lib/core/errors.js';
import type { Logger } from '../lib/core/log.js';
import type { Overrides } from '../lib/config/load.js';
import { resolveTools, toolNames, type ResolveDeps, type ToolName, type ToolStatus } from '../lib/tools/resolve.js';
import { loadToolSettings } from '../lib/tools/tool-settings.js';

export interface ToolsOptions {
  /** Tool names (see toolNames in lib/tools/resolve.ts); all of them when absent. */
  only?: string[] | undefined;
  /** Setting flags (`--tools-cache-dir` ...): only the tool settings are read, so a deploy setting never stops this task. */
  overrides?: Overrides;
}

/** Checks `--only` values against the known tool names. */
export function parseToolNames(names: readonly string[]): ToolName[] {
  return names.map((name) => {
    if ((toolNames as readonly string[]).includes(name)) return name as ToolName;
    throw new TaskError(`unknown tool "${name}"`, { code: 'USAGE', hint: `pick from: ${toolNames.join(', ')}`, exitCode: ExitCode.config });
  });
}

const sourceColour = { path: 'green', cache: 'green', built: 'cyan', unavailable: 'red' } as const;

/** `name  version  source  path  (detail)`, padded so the columns line up. */
export function formatStatusLine(status: ToolStatus, log: Pick<Logger, 'paint'>): string {
  const source = log.paint(sourceColour[status.source], status.source.padEnd(11));
  const path = status.source === 'unavailable' ? '-' : status.path;
  const note = status.source === 'unavailable' ? '' : `  ${status.detail}`;
  return `${status.name.padEnd(18)} ${status.required.padEnd(8)} ${source} ${path}${note}`;
}

/**
 * `npm run tools`: installs whatever is missing (downloading the Go tools' official
 * releases, or building them where TOOLS_SOURCE_DIR / TOOLS_BUILD_FROM_SOURCE ask for it;
 * pip-installing the Python ones), writes the Terraform CLI config for the provider
 * mirror, prints one line per tool, and exits 1 listing every tool it could not provide
 * and why. Bad settings stop it first (exit 64).
 */
export async function run(opts: ToolsOptions, ctx: TaskContext, deps: ResolveDeps = {}): Promise<number> {
  const only = opts.only === undefined ? undefined : parseToolNames(opts.only);
  const tools = loadToolSettings(opts.overrides ?? {}, ctx.env);
  const result = await resolveTools(ctx, { install: true, only, tools }, deps);
  for (const status of result.statuses) ctx.log.info(formatStatusLine(status, ctx.log));
  if (result.statuses.some((s) => s.name === 'aws-provider' && s.source !== 'unavailable')) {
    ctx.log.info(`terraform CLI config (TF_CLI_CONFIG_FILE): ${result.paths.cliConfigFile}`);
  }
  const unavailable = result.statuses.filter((s) => s.source === 'unavailable');
  if (unavailable.length === 0) return ExitCode.ok;
  ctx.log.error(`cannot provide ${unavailable.length} tool(s):`);
  for (const status of unavailable) ctx.log.error(`✖ ${status.name} ${status.required}: ${status.detail}`);
  return ExitCode.failure;
}
