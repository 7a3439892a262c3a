import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { DescribeRepositoriesCommand, ECRPUBLICClient, GetRepositoryCatalogDataCommand } from '@aws-sdk/client-ecr-public';
import { createMemoryLogger } from '../support/context.js';
import { convergeStateBucket } from '../../lib/state-bucket/converge.js';
import type { Sandbox } from '../../sandbox/harness.js';
import { assertNoSecrets, registerSecret } from '../support/cli.js';
import { sandboxConfig } from '../support/config.js';
import { sandboxForTests } from '../support/sandbox.js';
import { suiteTools } from '../support/tools.js';

// Proof that the real stack works: terraform + the AWS provider built from source, an S3
// backend with use_lockfile in a hardened moto bucket, and our ECR Public server.
const paths = await suiteTools(['terraform', 'aws-provider', 'moto']);
const moduleDir = resolve('platform/infra/terraform-modules/ecr-public-repository');
const bucket = 'real-stack-state';
const repository = 'stack-proof/devcontainer-base';

const unit = `terraform {
  backend "s3" {}
}

provider "aws" {
  region = "us-east-1"
}

module "repository" {
  source            = ${JSON.stringify(moduleDir)}
  repository_name   = ${JSON.stringify(repository)}
  description       = "Mirror of mcr.microsoft.com/devcontainers/base for global low-latency pulls"
  operating_systems = ["Linux"]
  architectures     = ["x86-64", "ARM 64"]
  about_text        = "About"
  usage_text        = "docker pull"
}

output "registry_alias" {
  value = module.repository.registry_alias
}
`;

describe(`real pinned terraform + AWS provider ${paths.providerVersion} against the sandbox`, () => {
  let sandbox: Sandbox;
  let dir: string;
  before(async () => {
    sandbox = await sandboxForTests();
    registerSecret(sandbox.credentials.secretAccessKey);
    registerSecret(sandbox.credentials.sessionToken);
    await convergeStateBucket(
      sandboxConfig(sandbox, { stateBucket: bucket }),
      sandbox.credentials,
      sandbox.accountId,
      createMemoryLogger(),
    );
    dir = await mkdtemp(join(tmpdir(), 'real-stack-'));
    await writeFile(join(dir, 'main.tf'), unit);
  });
  after(async () => {
    await sandbox.stop();
    await rm(dir, { recursive: true, force: true });
  });

  async function tf(args: string[]): Promise<string> {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...sandbox.env,
      TF_CLI_CONFIG_FILE: paths.cliConfigFile,
      TF_IN_AUTOMATION: '1',
      CHECKPOINT_DISABLE: '1',
    };
    delete env.AWS_PROFILE;
    const child = spawn(paths.terraform, [...args, '-no-color'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (out += c.toString()));
    const [code] = (await once(child, 'close')) as [number];
    assertNoSecrets(out, `terraform ${args[0] ?? ''}`);
    assert.equal(code, 0, `terraform ${args.join(' ')} failed:\n${out}`);
    return out;
  }

  test('init against the S3 backend with the native lock file, apply, read back, destroy', async () => {
    await tf([
      'init',
      '-input=false',
      `-backend-config=bucket=${bucket}`,
      '-backend-config=key=proof/terraform.tfstate',
      '-backend-config=region=us-east-1',
      '-backend-config=use_lockfile=true',
      '-backend-config=use_path_style=true',
      '-backend-config=encrypt=true',
    ]);
    sandbox.awsProxy.resetRequestLog();
    await tf(['apply', '-input=false', '-auto-approve']);
    const locks = sandbox.awsProxy.requests().filter((r) => r.path.includes('terraform.tfstate.tflock'));
    // Taken once (conditional PUT), checked (GET) and released (DELETE).
    const methods = locks.map((r) => r.method);
    assert.equal(methods.filter((m) => m === 'PUT').length, 1, methods.join(' '));
    assert.equal(methods.at(-1), 'DELETE', methods.join(' '));

    const ecr = new ECRPUBLICClient({ region: 'us-east-1', endpoint: sandbox.ecrPublic.url, credentials: sandbox.credentials });
    const found = await ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] }));
    assert.equal(found.repositories?.[0]?.repositoryUri, `public.ecr.aws/sandbox-alias/${repository}`);
    const catalog = (await ecr.send(new GetRepositoryCatalogDataCommand({ repositoryName: repository }))).catalogData;
    assert.deepEqual([...(catalog?.architectures ?? [])].sort(), ['ARM 64', 'x86-64']);
    assert.deepEqual(catalog?.operatingSystems, ['Linux']);

    const s3 = new S3Client(sandbox.clientOptions(sandbox.awsProxy.url));
    const state = JSON.parse(
      await (await s3.send(new GetObjectCommand({ Bucket: bucket, Key: 'proof/terraform.tfstate' }))).Body!.transformToString(),
    ) as { outputs: { registry_alias: { value: string } } };
    assert.equal(state.outputs.registry_alias.value, 'sandbox-alias');

    sandbox.ecrPublic.resetRequestLog();
    await tf(['apply', '-input=false', '-auto-approve']);
    assert.deepEqual(
      sandbox.ecrPublic.requests().filter((r) => r.write),
      [],
      'a second apply wrote to ECR Public',
    );

    await tf(['destroy', '-input=false', '-auto-approve']);
    await assert.rejects(ecr.send(new DescribeRepositoriesCommand({ repositoryNames: [repository] })), {
      name: 'RepositoryNotFoundException',
    });
    ecr.destroy();
    s3.destroy();
  });
});
