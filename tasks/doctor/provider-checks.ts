import { join, relative } from 'node:path';
import type { TaskContext } from '../../lib/core/context.js';
import { lockProblems, readLockFile, unitDirs } from '../../lib/infra/provider-lock.js';
import { infraTree } from '../../lib/infra/tree.js';
import { terraformPlatform } from '../../lib/tools/cache.js';
import type { Config } from '../../lib/config/load.js';
import { resolveTools } from '../../lib/tools/resolve.js';
import { toolSettingsOf } from '../../lib/tools/tool-settings.js';
import { readToolsLock, type ProviderPin } from '../../lib/tools/tools-lock.js';
import { fail, pass, type Check, type CheckOutcome } from './check.js';

/** With the mirror asked for (rehearsals, tests): the source-built provider must be in the tools cache. */
async function mirrorOutcome(ctx: TaskContext, config: Config): Promise<CheckOutcome> {
  const tools = toolSettingsOf(config, ctx.env);
  const [status] = (await resolveTools(ctx, { install: false, only: ['aws-provider'], tools })).statuses;
  if (status !== undefined && status.source !== 'unavailable')
    return pass(`source-built ${status.required} from the tools cache (TOOLS_PROVIDER_MIRROR=true: rehearsals and tests only)`);
  return fail(
    `TOOLS_PROVIDER_MIRROR=true, but the tools cache has no AWS provider: ${status?.detail.split('\n')[0] ?? 'not resolved'}`,
    'Contributors: npm run tools -- --only aws-provider. Operators: unset TOOLS_PROVIDER_MIRROR (terraform installs the provider from its registry).',
  );
}

/** One unit's committed lock file against the pin: undefined when it names the release with this platform's hash. */
async function lockProblem(unitDir: string, projectDir: string, pin: ProviderPin): Promise<string | undefined> {
  const file = join(unitDir, '.terraform.lock.hcl');
  const shown = relative(projectDir, file);
  const providers = await readLockFile(file);
  if (providers === undefined) return `${shown} is missing: terraform would take whatever release is newest`;
  const aws = providers.find((p) => p.address === pin.source);
  if (aws === undefined) return `${shown} locks no ${pin.source}`;
  const problems = lockProblems(aws, pin);
  return problems.length === 0 ? undefined : `${shown} ${problems.join('; ')}`;
}

/** Every real run: terraform installs the registry's release, so each unit's committed lock file must name it. */
async function lockOutcome(unitDirsToCheck: string[], projectDir: string, pin: ProviderPin): Promise<CheckOutcome> {
  const problems = (await Promise.all(unitDirsToCheck.map((dir) => lockProblem(dir, projectDir, pin)))).filter(
    (p): p is string => p !== undefined,
  );
  if (problems.length > 0)
    return fail(
      problems.join('; '),
      'Restore the committed lock files: git checkout -- platform/infra (npm run lint -- --only provider-locks checks them)',
    );
  const units = unitDirsToCheck.length === 1 ? 'the unit' : `${unitDirsToCheck.length} units`;
  // Every published platform zip's hash is there, so this machine's (${terraformPlatform()}) is too.
  return pass(
    `${pin.source} ${pin.version} locked for ${units}, with the registry's hashes of every platform, ${terraformPlatform()} included`,
  );
}

/** How terraform will get the AWS provider for the configured unit (every unit with --all). */
export function providerCheck(ctx: TaskContext, all: boolean): Check<'config'> {
  return {
    id: 'provider',
    title: 'AWS provider',
    needs: ['config'],
    run: async (provide) => {
      const config = await provide('config');
      if (config.providerMirror) return mirrorOutcome(ctx, config);
      const root = infraTree(config, ctx.projectDir).root;
      const dirs = all ? await unitDirs(root) : [join(root, config.unit)];
      return lockOutcome(dirs, ctx.projectDir, (await readToolsLock(ctx.projectDir)).terraformProvider);
    },
  };
}
