import { loadConfig, type Config } from '../../lib/config/load.js';
import type { Sandbox } from '../../sandbox/harness.js';

/** A validated Config pointed at the sandbox, with per-test overrides (bucket names etc.). */
export function sandboxConfig(sandbox: Sandbox, overrides: Record<string, string> = {}): Config {
  return loadConfig(overrides, { ...sandbox.env });
}
