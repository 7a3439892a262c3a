import { toolSettingsEnv } from './cli.js';
import { testContext } from './context.js';
import { resolveTools, type ResolveResult, type ToolName, type ToolPaths } from '../../lib/tools/resolve.js';
import { unavailableReason } from '../../lib/tools/require.js';
import { loadToolSettings } from '../../lib/tools/tool-settings.js';

let resolved: Promise<ResolveResult> | undefined;

/**
 * What a task needs from this process's environment to find the tools `npm run tools` provided
 * (PATH, HOME, XDG_CACHE_HOME, the TOOLS_* settings), and nothing else: no AWS_PROFILE or region
 * of the developer's shell reaches a test's task.
 */
export function suiteToolsEnv(): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of ['PATH', 'HOME', 'XDG_CACHE_HOME']) {
    const value = process.env[name];
    if (value !== undefined) kept[name] = value;
  }
  return { ...kept, ...toolSettingsEnv() };
}

/** The tools as `npm run tools` left them; tests never build anything themselves. */
export function testToolStatus(): Promise<ResolveResult> {
  resolved ??= resolveTools(testContext({ env: suiteToolsEnv() }), { install: false, tools: loadToolSettings({}, suiteToolsEnv()) });
  return resolved;
}

/**
 * The paths of the tools a suite needs. A missing one fails the suite with its reason:
 * `npm test` provides every tool first (pretest), so a gap is a failure, never a skip.
 */
export async function suiteTools(names: readonly ToolName[]): Promise<ToolPaths> {
  const result = await testToolStatus();
  const missing = result.statuses.filter((s) => names.includes(s.name) && s.source === 'unavailable');
  if (missing.length > 0) {
    throw new Error(`tools the tests need are missing (run npm run tools): ${missing.map(unavailableReason).join('; ')}`);
  }
  return result.paths;
}

/** The sandbox only needs moto. */
export async function testTools(): Promise<{ motoServer: string; botocoreDataDir: string }> {
  const paths = await suiteTools(['moto']);
  return { motoServer: paths.motoServer, botocoreDataDir: paths.botocoreDataDir };
}
