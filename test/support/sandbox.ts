import { startSandbox, type Sandbox } from '../sandbox/harness.js';
import { testTools } from './tools.js';

/** Sandbox start-up bound for tests; configurable like every other wait. */
const startTimeoutMs = Number(process.env.SANDBOX_START_TIMEOUT_SECONDS ?? '60') * 1000;

/** A sandbox for one test file; the caller stops it in `after`. */
export async function sandboxForTests(): Promise<Sandbox> {
  const tools = await testTools();
  return startSandbox({ motoServerBin: tools.motoServer, startTimeoutMs, registryAlias: 'sandbox-alias', baseEnv: process.env });
}
