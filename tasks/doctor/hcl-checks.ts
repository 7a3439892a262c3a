import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { infraTree, unitFolder } from '../../lib/infra/tree.js';
import { runTool } from '../../lib/core/run-tool.js';
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

export function hclChecks(projectDir: string, env: NodeJS.ProcessEnv): Check[] {
  const unit: Check<'config'> = {
    id: 'unit',
    title: 'Terragrunt unit',
    needs: ['config'],
    run: async (provide) => {
      const config = await provide('config');
      // A folder that is missing, outside the project or without root.hcl fails with the fix.
      const unitDir = unitFolder(infraTree(config, projectDir), config.unit);
      if (!existsSync(join(unitDir, 'terragrunt.hcl')))
        return fail(`no terragrunt.hcl in ${unitDir}`, `Pick an existing unit with --unit, or create ${config.unit}/terragrunt.hcl.`);
      return pass(unitDir);
    },
  };
  const format: Check<'config' | 'terraform'> = {
    id: 'hcl-format',
    title: 'HCL formatting',
    needs: ['config', 'terraform'],
    run: async (provide, signal) => {
      const tree = infraTree(await provide('config'), projectDir).tree;
      const result = await fmtCheck(await provide('terraform'), tree, { ...env, CHECKPOINT_DISABLE: '1' }, signal);
      return result.code === 0
        ? pass('terraform fmt -check is clean')
        : fail(`needs formatting: ${result.files.join(', ') || 'see terraform fmt output'}`, 'npm run format');
    },
  };
  return [unit, format];
}
