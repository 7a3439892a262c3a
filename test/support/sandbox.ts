import { loadConfig } from '../../lib/config/load.js';
import { startSandbox, type Sandbox } from '../../sandbox/harness.js';
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
