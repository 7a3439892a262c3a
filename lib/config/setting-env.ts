import type { Overrides } from './load.js';
import { settings } from './settings.js';

/**
 * These settings as their environment twins: how a task hands the settings it was given on to
 * the tasks it runs, as their standing configuration (a flag given to those runs still wins).
 */
export function settingEnv(overrides: Overrides): Record<string, string> {
  return Object.fromEntries(
    settings.flatMap((s) => {
      const value = overrides[s.key];
      return value === undefined ? [] : [[s.env, value] as const];
    }),
  );
}
