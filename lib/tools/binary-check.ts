import { isExecutable } from './cache.js';
import type { GoTool } from './tools-lock.js';
import { checkVersion, findOnPath, type Runner, type VersionedTool } from './version-check.js';

/** How a binary's version is probed: its environment, the runner (the probe cache's), the stop signal and the bound. */
export interface ProbeOptions {
  env: NodeJS.ProcessEnv;
  runner: Runner;
  signal: AbortSignal;
  timeoutMs: number;
}

/** The Go tools whose binaries report their version; the others are only checked to be executable. */
const versioned: readonly GoTool[] = ['terraform', 'terragrunt', 'tflint', 'actionlint'] satisfies VersionedTool[];

/**
 * The binary named `name` on PATH, when its version is exactly the pinned one; otherwise
 * undefined, with why it did not do added to `passed` (a binary found at another version).
 */
export async function pinnedOnPath(
  name: 'terraform' | 'terragrunt',
  required: string,
  probe: ProbeOptions,
  passed: string[],
): Promise<string | undefined> {
  const bin = await findOnPath(name, probe.env.PATH);
  if (bin === undefined) return undefined;
  const check = await checkVersion(name, bin, required, probe);
  if (check.ok) return bin;
  passed.push(`not the one on PATH: ${check.problem ?? bin}`);
  return undefined;
}

/** A problem with the binary of `tool` at `bin`, or undefined when it is the required version. */
export async function binaryProblem(tool: GoTool, bin: string, required: string, probe: ProbeOptions): Promise<string | undefined> {
  const versionedTool = versioned.includes(tool) ? (tool as VersionedTool) : undefined;
  if (versionedTool === undefined) return (await isExecutable(bin)) ? undefined : `${bin} is missing or not executable`;
  const check = await checkVersion(versionedTool, bin, required, probe);
  return check.ok ? undefined : check.problem;
}
