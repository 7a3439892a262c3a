import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Config } from '../config/load.js';
import { infraTree } from '../infra-tree.js';
import { runTool } from '../run-tool.js';
import { fail, pass, type Check } from './check.js';

/** `terraform fmt -check -recursive` over the infrastructure tree; lists the files that need formatting. */
async function fmtCheck(
  terraform: string,
  dir: string,
  env: NodeJS.ProcessEnv,
  signal: AbortSignal,
): Promise<{ code: number | null; files: string[] }> {
  const result = await runTool(terraform, ['fmt', '-check', '-recursive', '-list=true', dir], { cwd: dir, env, signal });
  return { code: result.exitCode, files: result.stdout.split('\n').filter(Boolean) };
}

export function hclChecks(projectDir: string, config: Config, terraform: () => Promise<string>, env: NodeJS.ProcessEnv): Check[] {
  return [
    {
      id: 'unit',
      title: 'Terragrunt unit',
      run: () => {
        // A folder that is missing, outside the project or without root.hcl fails with the fix.
        const unitDir = join(infraTree(config, projectDir).root, config.unit);
        if (!existsSync(join(unitDir, 'terragrunt.hcl')))
          return fail(`no terragrunt.hcl in ${unitDir}`, `Pick an existing unit with --unit, or create ${config.unit}/terragrunt.hcl.`);
        return pass(unitDir);
      },
    },
    {
      id: 'hcl-format',
      title: 'HCL formatting',
      run: async (signal) => {
        const result = await fmtCheck(await terraform(), infraTree(config, projectDir).tree, { ...env, CHECKPOINT_DISABLE: '1' }, signal);
        return result.code === 0
          ? pass('terraform fmt -check is clean')
          : fail(`needs formatting: ${result.files.join(', ') || 'see terraform fmt output'}`, 'npm run format');
      },
    },
  ];
}
