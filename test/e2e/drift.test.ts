import assert from 'node:assert/strict';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { ECRPUBLICClient, PutRepositoryCatalogDataCommand } from '@aws-sdk/client-ecr-public';
import type { Sandbox } from '../../sandbox/harness.js';
import { runCli, type CliResult } from '../support/cli.js';
import { useSandboxProject, type ProjectCopy } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

await suiteTools(['terraform', 'terragrunt', 'aws-provider', 'moto']);

interface DriftReport {
  units: Array<{ unit: string; status: string; changes: string }>;
}

describe('npm run drift: in sync, drifted outside Terraform, unapplied', () => {
  let sandbox: Sandbox;
  let project: ProjectCopy;
  const repositoryUnit = 'us-east-1/ecr-public-repository';
  const cli = (args: string[]): Promise<CliResult> => runCli(args, { ...sandbox.env, DEPLOY_STATE_BUCKET: 'e2e-drift' }, project.dir);
  const drift = async (): Promise<{ code: number | null; report: DriftReport; stderr: string }> => {
    const r = await cli(['drift', '--json']);
    return { code: r.code, report: JSON.parse(r.stdout) as DriftReport, stderr: r.stderr };
  };
  const statusOf = (report: DriftReport, unit: string): string | undefined => report.units.find((u) => u.unit === unit)?.status;

  useSandboxProject((lab) => {
    ({ sandbox, project } = lab);
  });
  before(async () => {
    assert.equal((await cli(['init'])).code, 0);
    const apply = await cli(['apply', '--all', '--yes']);
    assert.equal(apply.code, 0, apply.stderr);
  });

  test('right after apply every unit is in sync (exit 0), and drift writes nothing', async () => {
    sandbox.awsProxy.resetRequestLog();
    sandbox.ecrPublic.resetRequestLog();
    const { code, report, stderr } = await drift();
    assert.equal(code, 0, stderr);
    assert.deepEqual(
      report.units.map((u) => [u.unit, u.status]),
      [
        [repositoryUnit, 'in-sync'],
        ['us-east-1/github-actions-ecr-push', 'in-sync'],
      ],
    );
    assert.deepEqual(
      sandbox.awsProxy.requests().filter((r) => r.write),
      [],
      'no state, lock or IAM write',
    );
    assert.equal(sandbox.ecrPublic.requests().filter((r) => r.write).length, 0);
  });

  test('a catalog edit behind Terraform back is "drifted" (exit 2); apply brings it back in sync', async () => {
    const ecr = new ECRPUBLICClient(sandbox.clientOptions(sandbox.ecrProxy.url));
    await ecr.send(
      new PutRepositoryCatalogDataCommand({
        repositoryName: 'caylent-solutions/devcontainer-base',
        catalogData: { description: 'Edited in the console' },
      }),
    );
    ecr.destroy();
    const drifted = await drift();
    assert.equal(drifted.code, 2, drifted.stderr);
    assert.equal(statusOf(drifted.report, repositoryUnit), 'drifted');
    assert.equal(statusOf(drifted.report, 'us-east-1/github-actions-ecr-push'), 'in-sync');
    assert.equal((await cli(['apply', '--all', '--yes'])).code, 0);
    const back = await drift();
    assert.equal(back.code, 0, back.stderr);
  });

  test('an HCL edit not applied yet is "unapplied" (exit 2), with its change count', async () => {
    const hcl = join(project.dir, 'platform/infra/terragrunt/us-east-1/ecr-public-repository/terragrunt.hcl');
    const text = await readFile(hcl, 'utf8');
    await writeFile(hcl, text.replace('for global low-latency pulls', 'for low-latency pulls worldwide'));
    const { code, report, stderr } = await drift();
    assert.equal(code, 2, stderr);
    assert.deepEqual(
      report.units.find((u) => u.unit === repositoryUnit),
      { unit: repositoryUnit, status: 'unapplied', changes: '+0 ~1 -0' },
    );
    assert.match(stderr, /us-east-1\/ecr-public-repository\s+unapplied\s+\+0 ~1 -0/);
  });
});
