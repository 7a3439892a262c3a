import { settingEnv } from '../../lib/config/setting-env.js';
import { loadConfig, type Overrides } from '../../lib/config/load.js';
import type { TaskContext, TaskRunner } from '../../lib/core/context.js';
import { ExitCode } from '../../lib/core/errors.js';

/**
 * The lifecycle an operator runs against AWS (doctor, init, the CI roles' unit with --unit,
 * then plan, apply, output and doctor over every other unit with --all), each step the task
 * itself, run through the CLI's registry in this process. `env` points the tasks at a local
 * AWS, and the rehearsal's own settings (`overrides`) are their environment, as an operator's
 * .env would be. Stops at the first failing step; doctor runs before init, so "no state bucket
 * yet" is expected there: it reports.
 */
export async function rehearseLifecycle(
  ctx: TaskContext,
  runTask: TaskRunner,
  env: Readonly<Record<string, string>>,
  overrides: Overrides,
): Promise<number> {
  const sctx: TaskContext = { ...ctx, env: { ...ctx.env, ...env, ...settingEnv(overrides) } };
  const config = loadConfig({}, sctx.env);
  const steps: string[][] = [
    ['doctor'],
    ['init'],
    // The operator's own unit first: the CI roles, the push role's boundary, the OIDC provider.
    ['apply', '--unit', config.ciRolesUnit, '--yes'],
    ['plan', '--all'],
    ['apply', '--all', '--yes'],
    ['output', '--all'],
    ['doctor', '--all'],
  ];
  for (const [index, [name = '', ...flags]] of steps.entries()) {
    ctx.log.info(`\n=== npm run ${name}${flags.length === 0 ? '' : ` -- ${flags.join(' ')}`} (sandbox) ===`);
    const code = await runTask([name, ...flags], sctx);
    // The first doctor runs before init, so "no state bucket yet" is expected there: it reports.
    if (code !== 0 && index !== 0) return code;
  }
  return ExitCode.ok;
}
