import { readFile } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { lockProblems, readLockFile, unitDirs } from '../infra/provider-lock.js';
import type { ProviderPin } from '../tools/tools-lock.js';
import { terraformModules } from './module-copy.js';

/** The `hashicorp/aws` constraint a module's versions.tf declares, or undefined when it declares none. */
function awsConstraint(versionsTf: string): string | undefined {
  const block = /aws\s*=\s*\{([^}]*)\}/.exec(versionsTf)?.[1] ?? '';
  return /source\s*=\s*"hashicorp\/aws"/.test(block) ? /version\s*=\s*"([^"]*)"/.exec(block)?.[1] : undefined;
}

async function moduleProblems(tree: string, projectDir: string, pin: ProviderPin): Promise<string[]> {
  const problems: string[] = [];
  for (const module of terraformModules(tree)) {
    const file = join(module, 'versions.tf');
    const constraint = awsConstraint(await readFile(file, 'utf8').catch(() => ''));
    if (constraint !== pin.constraint)
      problems.push(
        `${relative(projectDir, file)}: hashicorp/aws constraint ${JSON.stringify(constraint ?? '')}, not tools.lock.json's "${pin.constraint}"`,
      );
  }
  return problems;
}

/** One line per problem, naming the file; empty when every unit's lock file is the registry's for the pin. */
export async function providerLockProblems(root: string, tree: string, projectDir: string, pin: ProviderPin): Promise<string[]> {
  const problems = await moduleProblems(tree, projectDir, pin);
  for (const dir of await unitDirs(root)) {
    const file = join(dir, '.terraform.lock.hcl');
    const shown = relative(projectDir, file);
    const providers = await readLockFile(file);
    if (providers === undefined) {
      problems.push(`${shown}: missing: every unit commits the registry's lock file (platform/infra/README.md, "Provider lock files")`);
      continue;
    }
    const aws = providers.find((p) => p.address === pin.source);
    if (aws === undefined) problems.push(`${shown}: no provider "${pin.source}" block`);
    else problems.push(...lockProblems(aws, pin).map((p) => `${shown}: ${p}`));
  }
  return problems;
}
