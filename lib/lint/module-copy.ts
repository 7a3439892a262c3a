import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { copyInfraTree } from '../infra-copy.js';
import { runTool } from '../run-tool.js';

export const modulePath = 'platform/infra/terraform-modules/ecr-public-repository';

/**
 * terraform validate and tflint need an initialised module; initialising in place
 * would leave .terraform/ in the repo, so they work on a scratch copy.
 */
export async function initialisedModuleCopy(
  projectDir: string,
  terraform: string,
  env: NodeJS.ProcessEnv,
): Promise<{ dir: string; error?: string }> {
  const root = await mkdtemp(join(tmpdir(), 'lint-module-'));
  const dir = join(root, basename(modulePath));
  await copyInfraTree(join(projectDir, modulePath), dir);
  const result = await runTool(terraform, ['init', '-backend=false', '-input=false', '-no-color'], { cwd: dir, env });
  return result.exitCode === 0 ? { dir } : { dir, error: `terraform init of the module copy failed:\n${result.output.trim()}` };
}
