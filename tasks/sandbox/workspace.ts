import { existsSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { envFileVariable } from '../../lib/config/env-file-names.js';
import { TaskError } from '../../lib/core/errors.js';
import { isAlive } from '../../lib/os/processes.js';
import { copyInfraTree } from '../../lib/infra/copy.js';

/**
 * Where a rehearsal works: a scratch copy of the infrastructure tree inside the project
 * (`.sandbox/`, git-ignored), so the checkout is left as it was found: no
 * `.terragrunt-cache` initialised against the sandbox's ports (which a later real
 * `init` would meet as "Backend configuration changed"), no plan file, no provider lock
 * file with a locally built provider's checksum under the real units.
 */
export interface SandboxWorkspace {
  /** DEPLOY_INFRA_DIR for the rehearsal: the copy of the Terragrunt root, relative to the project. */
  infraDir: string;
  /** `.sandbox.env`: what another shell sources to point the tasks at a kept sandbox. */
  envFile: string;
  /** Writes `.sandbox.env` (mode 600: it holds the sandbox's keys). */
  writeEnvFile(env: Readonly<Record<string, string>>): Promise<void>;
  /** Removes the copy and `.sandbox.env`. */
  remove(): Promise<void>;
}

const pidKey = 'SANDBOX_PID';

/** A live sandbox of this checkout (kept with --keep) owns the workspace: refuse rather than pull it away. */
async function assertNoLiveSandbox(envFile: string): Promise<void> {
  if (!existsSync(envFile)) return;
  const pid = Number(new RegExp(`^${pidKey}=(\\d+)$`, 'm').exec(await readFile(envFile, 'utf8'))?.[1]);
  if (!Number.isInteger(pid) || !isAlive(pid)) return;
  throw new TaskError(`A sandbox of this checkout is already running (pid ${pid}, ${envFile}).`, {
    code: 'SANDBOX_RUNNING',
    hint: `Use it (set -a; . ${envFile}; set +a), or stop it with Ctrl-C in its shell (or: kill -INT ${pid}).`,
  });
}

/** Lays a fresh copy of the tree that holds `infraDir` (the Terragrunt root and the modules beside it). */
export async function createSandboxWorkspace(projectDir: string, infraDir: string): Promise<SandboxWorkspace> {
  const envFile = join(projectDir, '.sandbox.env');
  await assertNoLiveSandbox(envFile);
  const root = join(projectDir, '.sandbox');
  const infraRoot = resolve(projectDir, infraDir);
  const tree = dirname(infraRoot);
  const copy = join(root, basename(tree));
  // A leftover of a rehearsal that was killed is stale by definition.
  await rm(root, { recursive: true, force: true });
  await copyInfraTree(tree, copy);
  return {
    infraDir: relative(projectDir, join(copy, relative(tree, infraRoot))),
    envFile,
    writeEnvFile: async (env) => {
      // A shell that sources .sandbox.env reads no account's settings: DEPLOY_ENV_FILE names an
      // empty settings file instead of the project's .env, whose AWS_PROFILE (an empty variable
      // does not clear a file's value) would otherwise resolve a real profile against the sandbox.
      const settingsFile = join(root, 'settings.env');
      await writeFile(settingsFile, '# A kept sandbox: every setting is in .sandbox.env, none from an account.\n');
      const all = { ...env, [envFileVariable]: settingsFile, [pidKey]: String(process.pid) };
      const lines = Object.entries(all).map(([k, v]) => `${k}=${v}`);
      await writeFile(envFile, `${lines.join('\n')}\n`, { mode: 0o600 });
    },
    remove: async () => {
      await Promise.all([rm(root, { recursive: true, force: true }), rm(envFile, { force: true })]);
    },
  };
}
