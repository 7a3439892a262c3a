import { after, before } from 'node:test';
import { loadConfig } from '../../lib/config/load.js';
import { startSandbox, type Sandbox } from '../../sandbox/harness.js';
import { projectCopy } from '../../sandbox/project-copy.js';
import { registerSecret } from './cli.js';
import { assertNothingRunsIn } from './no-leftovers.js';
import { testTools } from './tools.js';

/** A sandbox for one test file; the caller stops it in `after`. Its start-up bound is the same setting the tasks use. */
export async function sandboxForTests(): Promise<Sandbox> {
  const tools = await testTools();
  const { sandboxStartTimeoutSeconds } = loadConfig({}, process.env);
  return startSandbox({
    motoServerBin: tools.motoServer,
    startTimeoutMs: sandboxStartTimeoutSeconds * 1000,
    registryAlias: 'sandbox-alias',
    baseEnv: process.env,
  });
}

export type ProjectCopy = Awaited<ReturnType<typeof projectCopy>>;

/** What {@link useSandboxProject} hands a suite. */
export interface SandboxProject {
  sandbox: Sandbox;
  project: ProjectCopy;
}

/**
 * The setup of an end-to-end suite: registers, in the calling suite, a `before` that starts a
 * sandbox (its credentials registered as secrets) and a temp copy of the project side by side
 * and hands both to `use`, and an `after` that stops and removes whatever started, even when
 * the other half failed. Call it before the suite's own hooks: those then run with both up.
 * Each file gets its own sandbox on free ports and its own copy, so files can run concurrently.
 */
export function useSandboxProject(use: (lab: SandboxProject) => void): void {
  let sandbox: Sandbox | undefined;
  let project: ProjectCopy | undefined;
  before(async () => {
    const [started, copied] = await Promise.allSettled([sandboxForTests(), projectCopy()]);
    if (started.status === 'fulfilled') sandbox = started.value;
    if (copied.status === 'fulfilled') project = copied.value;
    if (started.status === 'rejected') throw started.reason;
    if (copied.status === 'rejected') throw copied.reason;
    registerSecret(started.value.credentials.secretAccessKey);
    registerSecret(started.value.credentials.sessionToken);
    use({ sandbox: started.value, project: copied.value });
  });
  after(async () => {
    // Checked first: an orphan's working directory names its project only while the copy exists.
    let orphans: Error | undefined;
    if (project !== undefined) await assertNothingRunsIn(project.dir).catch((error: unknown) => (orphans = error as Error));
    await Promise.all([sandbox?.stop(), project?.remove()]);
    if (orphans !== undefined) throw orphans;
  });
}
