import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { childEnvironment } from '../../lib/aws/child-env.js';
import { runTool } from '../../lib/core/run-tool.js';
import { rootHclInputs } from '../../lib/deploy/prepare.js';
import type { ToolPaths } from '../../lib/tools/resolve.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { sandboxConfig } from './config.js';

/** A resource of `terraform show -json`'s planned values. */
export interface PlannedResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
}

const modulesDir = join(process.cwd(), 'platform', 'infra', 'terraform-modules');

function withoutAws(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.entries(env).filter(([k]) => !k.startsWith('AWS_')));
}

/**
 * The resources a module of platform/infra/terraform-modules plans, with every value the
 * real pinned terraform and AWS provider render (the policy documents included), read from
 * `terraform show -json` of a saved plan. The provider runs against the sandbox (its data
 * sources ask the sandbox's STS who the caller is), configured as root.hcl generates it.
 */
export async function renderPlan(
  sandbox: Sandbox,
  tools: ToolPaths,
  module: string,
  variables: Record<string, unknown>,
): Promise<PlannedResource[]> {
  const dir = await mkdtemp(join(tmpdir(), `render-${module}-`));
  try {
    await cp(join(modulesDir, module), dir, {
      recursive: true,
      filter: (source) => !['.terraform', '.terraform.lock.hcl', 'tests'].includes(basename(source)),
    });
    await writeFile(join(dir, 'sandbox_provider.tf'), 'provider "aws" {\n  region = "us-east-1"\n}\n');
    await writeFile(join(dir, 'terraform.tfvars.json'), JSON.stringify(variables));
    const settings = sandboxConfig(sandbox);
    const env = childEnvironment(withoutAws(process.env), sandbox.credentials, {
      ...rootHclInputs(settings, 'render-module'),
      AWS_CA_BUNDLE: settings.caBundle ?? '',
      TF_CLI_CONFIG_FILE: tools.cliConfigFile,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    });
    for (const args of [
      ['init', '-input=false', '-no-color'],
      ['plan', '-input=false', '-no-color', '-out=rendered.tfplan'],
    ]) {
      const run = await runTool(tools.terraform, args, { cwd: dir, env });
      assert.equal(run.exitCode, 0, `terraform ${args[0] ?? ''} of ${module} failed:\n${run.output}`);
    }
    const shown = await runTool(tools.terraform, ['show', '-json', 'rendered.tfplan'], { cwd: dir, env });
    assert.equal(shown.exitCode, 0, shown.output);
    const plan = JSON.parse(shown.stdout) as { planned_values: { root_module: { resources?: PlannedResource[] } } };
    return plan.planned_values.root_module.resources ?? [];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** A JSON document (a policy) that a planned resource holds as a string attribute. */
export function documentOf<T>(resources: readonly PlannedResource[], address: string, attribute: string): T {
  const resource = resources.find((r) => r.address === address);
  assert.ok(resource, `the plan has no ${address}: ${resources.map((r) => r.address).join(', ')}`);
  const value = resource.values[attribute];
  assert.equal(typeof value, 'string', `${address}.${attribute} is not known at plan time`);
  return JSON.parse(value as string) as T;
}
