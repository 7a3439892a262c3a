import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TaskError } from '../../lib/core/errors.js';
import { listedChecksum } from '../../lib/tools/release/checksums.js';
import { readTrustedKey } from '../../lib/tools/release/signature.js';
import { providerPackage, releasePlan } from '../../lib/tools/release/urls.js';
import { loadToolSettings } from '../../lib/tools/tool-settings.js';
import '../support/no-leftovers.js';

/** What the default settings point at: the real upstream sites and HashiCorp's committed key. */
describe('the upstream release sources', () => {
  it("the committed key is HashiCorp's: openpgp computes the published fingerprint from it", async () => {
    const trusted = await readTrustedKey(undefined, process.cwd());
    // Published at www.hashicorp.com/trust/security as C874 011F 0AB4 0511 0D02 1055 3436 5D94 72D7 468F.
    assert.equal(trusted.fingerprint, 'C874011F0AB405110D02105534365D9472D7468F');
    assert.equal(trusted.shortId, '72D7468F');
    // A key past its expiry verifies nothing: this fails once HashiCorp's key needs refreshing (it is valid until 2030-03-01).
    await assert.doesNotReject(trusted.key.getSigningKey());
  });

  it('the default URLs are the ones the projects document', async () => {
    // The defaults alone: an empty environment but for the cache's place, which nothing here touches.
    const { releaseBases: bases, hashicorpKeyFile } = loadToolSettings({}, { TOOLS_CACHE_DIR: '/nonexistent' });
    const sig = (await readTrustedKey(hashicorpKeyFile, process.cwd())).shortId;
    const urls = (tool: Parameters<typeof releasePlan>[0], version: string) => {
      const plan = releasePlan(tool, version, 'linux_amd64', bases, sig);
      return [plan.archive.url, plan.sums.url, plan.signature?.url, plan.format, plan.member];
    };
    assert.deepEqual(urls('terraform', '1.14.5'), [
      'https://releases.hashicorp.com/terraform/1.14.5/terraform_1.14.5_linux_amd64.zip',
      'https://releases.hashicorp.com/terraform/1.14.5/terraform_1.14.5_SHA256SUMS',
      'https://releases.hashicorp.com/terraform/1.14.5/terraform_1.14.5_SHA256SUMS.72D7468F.sig',
      'zip',
      'terraform',
    ]);
    assert.deepEqual(urls('terragrunt', '0.99.2'), [
      'https://github.com/gruntwork-io/terragrunt/releases/download/v0.99.2/terragrunt_linux_amd64',
      'https://github.com/gruntwork-io/terragrunt/releases/download/v0.99.2/SHA256SUMS',
      undefined,
      'binary',
      'terragrunt_linux_amd64',
    ]);
    assert.deepEqual(urls('tflint', '0.64.0').slice(0, 2), [
      'https://github.com/terraform-linters/tflint/releases/download/v0.64.0/tflint_linux_amd64.zip',
      'https://github.com/terraform-linters/tflint/releases/download/v0.64.0/checksums.txt',
    ]);
    assert.deepEqual(urls('tflint-ruleset-aws', '0.48.0').slice(0, 2), [
      'https://github.com/terraform-linters/tflint-ruleset-aws/releases/download/v0.48.0/tflint-ruleset-aws_linux_amd64.zip',
      'https://github.com/terraform-linters/tflint-ruleset-aws/releases/download/v0.48.0/checksums.txt',
    ]);
    assert.deepEqual(urls('actionlint', '1.7.12'), [
      'https://github.com/rhysd/actionlint/releases/download/v1.7.12/actionlint_1.7.12_linux_amd64.tar.gz',
      'https://github.com/rhysd/actionlint/releases/download/v1.7.12/actionlint_1.7.12_checksums.txt',
      undefined,
      'tar.gz',
      'actionlint',
    ]);
    assert.deepEqual(providerPackage('registry.terraform.io/hashicorp/aws', '6.47.0', 'linux_amd64'), {
      zip: 'registry.terraform.io/hashicorp/aws/terraform-provider-aws_6.47.0_linux_amd64.zip',
      member: 'terraform-provider-aws_v6.47.0_x5',
    });
  });

  it('reads sha256sum-format lines exactly by file name, binary-mode marks included', () => {
    const a = 'a'.repeat(64);
    const b = 'B'.repeat(64);
    const sums = `${a}  tflint_linux_amd64.zip.sig\n${b} *tflint_linux_amd64.zip\r\n`;
    assert.equal(listedChecksum(sums, 'tflint_linux_amd64.zip', 'u'), 'b'.repeat(64));
    assert.throws(
      () => listedChecksum(sums, 'tflint_linux_arm64.zip', 'https://x/checksums.txt'),
      (error: unknown) => {
        return error instanceof TaskError && error.message.startsWith('https://x/checksums.txt lists no sha256 for tflint_linux_arm64.zip');
      },
    );
  });
});
