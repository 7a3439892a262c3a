import type { Parsed } from './rules.js';

/** What every setting declares, whatever its value type: the flag, the env twin, the default, the text. */
interface SettingText {
  /** Property name in the typed Config. */
  key: string;
  /** Long flag without dashes. */
  flag: string;
  env: string;
  /** Raw default, or undefined when the setting is optional and unset by default. */
  default?: string;
  description: string;
  /**
   * Terragrunt's HCL reads it with get_env (root.hcl or a unit's terragrunt.hcl), or terraform
   * reads it itself (an endpoint): the tasks hand its validated value to every terragrunt run
   * (rootHclInputs, lib/deploy/prepare.ts), and leave it out while it is unset.
   */
  rootHcl?: true;
  /**
   * Where the pinned tools come from (`npm run tools`, and the tools cache every task looks in):
   * the README and .env.example list these apart, and the tools task validates only these.
   */
  group?: 'tools';
}

/**
 * Every setting, declared once: its flag, its environment twin, its default and its
 * rule. `Config`, `.env.example`, `--help` and the README table all come from this.
 */
export interface SettingSpec<K extends string, T, D extends string | undefined> extends SettingText {
  key: K;
  default: D;
  parse: (raw: string) => Parsed<T>;
}

/** A setting with a default: its Config value is always there. */
export function spec<K extends string, T>(s: Omit<SettingSpec<K, T, string>, 'default'> & { default: string }): SettingSpec<K, T, string>;
/** A setting without a default: its Config value may be undefined. */
export function spec<K extends string, T>(s: Omit<SettingSpec<K, T, undefined>, 'default'>): SettingSpec<K, T, undefined>;
export function spec<K extends string, T>(
  s: Omit<SettingSpec<K, T, string | undefined>, 'default'> & { default?: string },
): SettingSpec<K, T, string | undefined> {
  return { ...s, default: s.default };
}
