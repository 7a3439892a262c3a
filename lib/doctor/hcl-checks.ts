import { existsSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join, resolve } from 'node:path';
import type { Config } from '../config/load.js';
import { fail, pass, type Check } from './check.js';

/** `terraform fmt -check -recursive` over the infrastructure tree; lists the files that need formatting. */
async function fmtCheck(terraform: string, dir: string): Promise<{ code: number; files: string[] }> {
  const child = spawn(terraform, ['fmt', '-check', '-recursive', '-list=true', dir], { stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (c: Buffer) => chunks.push(c));
  const [code] = (await once(child, 'close')) as [number | null];
  return { code: code ?? 1, files: Buffer.concat(chunks).toString('utf8').split('\n').filter(Boolean) };
}

export function hclChecks(projectDir: string, config: Config, terraform: () => Promise<string>): Check[] {
  const infraRoot = resolve(projectDir, config.infraDir);
  const unitDir = join(infraRoot, config.unit);
  return [
    {
      id: 'unit',
      title: 'Terragrunt unit',
      run: () => {
        if (!existsSync(join(infraRoot, 'root.hcl')))
          return fail(`no root.hcl in ${infraRoot}`, 'Set DEPLOY_INFRA_DIR to the Terragrunt root (platform/infra/terragrunt).');
        if (!existsSync(join(unitDir, 'terragrunt.hcl')))
          return fail(`no terragrunt.hcl in ${unitDir}`, `Pick an existing unit with --unit, or create ${config.unit}/terragrunt.hcl.`);
        return pass(unitDir);
      },
    },
    {
      id: 'hcl-format',
      title: 'HCL formatting',
      run: async () => {
        const result = await fmtCheck(await terraform(), resolve(infraRoot, '..'));
        return result.code === 0
          ? pass('terraform fmt -check is clean')
          : fail(`needs formatting: ${result.files.join(', ') || 'see terraform fmt output'}`, 'npm run format');
      },
    },
  ];
}
