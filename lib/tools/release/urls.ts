/**
 * Every upstream download of `npm run tools`, in one place. The bases come from settings
 * (TOOLS_HASHICORP_RELEASES_URL, TOOLS_GITHUB_URL), so a mirror or a test server with the
 * same paths can stand in; the file names are the projects' own, checked against the
 * sources cited at each one.
 */

import type { ReleaseBases } from '../tool-settings.js';

/** The tools whose official release binaries `npm run tools` downloads (the AWS provider comes through terraform). */
export type ReleaseTool = 'terraform' | 'terragrunt' | 'tflint' | 'tflint-ruleset-aws' | 'actionlint';

interface ReleaseFile {
  name: string;
  url: string;
}

export interface ReleasePlan {
  /** The file holding the binary. */
  archive: ReleaseFile;
  /** The `sha256sum`-format file listing the archive's hash. */
  sums: ReleaseFile;
  /** A detached OpenPGP signature over `sums` (terraform only: the others publish none we can check offline). */
  signature?: ReleaseFile;
  /** How the binary sits in the archive: `binary` is the binary itself. */
  format: 'zip' | 'tar.gz' | 'binary';
  /** The binary's name inside the archive. */
  member: string;
}

/** `os_arch` as every one of these projects names its builds, e.g. linux_amd64. */
type Platform = string;

/**
 * terraform, from HashiCorp's releases site: `<base>/terraform/<ver>/terraform_<ver>_<os>_<arch>.zip`
 * and `terraform_<ver>_SHA256SUMS` (the layout tfenv and hc-install read). The signature is
 * the one named after the trusted key's ID, `terraform_<ver>_SHA256SUMS.<KEYID>.sig`: since
 * HashiCorp rotated its key (HCSEC-2021-12; hashicorp/terraform-exec#166: "signature files
 * generated using this new key ... have the suffix SHA256SUMS.72D7468F.sig"), every release
 * carries that file, while the plain `.sig` of releases before April 2021 was made with the
 * revoked key. hashicorp/hc-install picks the file the same way
 * (internal/releasesjson/checksum_downloader.go, findSigFilename).
 */
function terraformPlan(version: string, platform: Platform, bases: ReleaseBases, keyId: string): ReleasePlan {
  const dir = `${bases.hashicorpUrl}/terraform/${version}`;
  const file = (name: string): ReleaseFile => ({ name, url: `${dir}/${name}` });
  return {
    archive: file(`terraform_${version}_${platform}.zip`),
    sums: file(`terraform_${version}_SHA256SUMS`),
    signature: file(`terraform_${version}_SHA256SUMS.${keyId}.sig`),
    format: 'zip',
    member: 'terraform',
  };
}

function githubFile(bases: ReleaseBases, repo: string, version: string, name: string): ReleaseFile {
  return { name, url: `${bases.githubUrl}/${repo}/releases/download/v${version}/${name}` };
}

/**
 * The GitHub-released tools, each tagged `v<version>`:
 * - terragrunt publishes the bare binary `terragrunt_<os>_<arch>` beside its archives, and
 *   `SHA256SUMS` (`sha256sum terragrunt_*`): .github/assets/release-assets-config.json and
 *   .github/scripts/release/generate-checksums.sh at v0.99.2; its install guide
 *   (terragrunt.gruntwork.io/docs/getting-started/install) says to check SHA256SUMS.
 * - tflint and tflint-ruleset-aws: GoReleaser archives `{{ .ProjectName }}_{{ .Os }}_{{ .Arch }}`
 *   as zip, checksums `checksums.txt` (.goreleaser.yml at v0.64.0 and v0.48.0; tflint's
 *   README installs `tflint_linux_amd64.zip` and checks `checksums.txt`).
 * - actionlint: GoReleaser's default archive name `actionlint_<ver>_<os>_<arch>.tar.gz` and
 *   `actionlint_<ver>_checksums.txt` (.goreleaser.yaml at v1.7.12; docs/install.md and
 *   scripts/download-actionlint.bash download `actionlint_1.0.0_linux_386.tar.gz`).
 */
const github = {
  terragrunt: (_v: string, p: Platform) => ({
    repo: 'gruntwork-io/terragrunt',
    archive: `terragrunt_${p}`,
    sums: 'SHA256SUMS',
    format: 'binary' as const,
  }),
  tflint: (_v: string, p: Platform) => ({
    repo: 'terraform-linters/tflint',
    archive: `tflint_${p}.zip`,
    sums: 'checksums.txt',
    format: 'zip' as const,
  }),
  'tflint-ruleset-aws': (_v: string, p: Platform) => ({
    repo: 'terraform-linters/tflint-ruleset-aws',
    archive: `tflint-ruleset-aws_${p}.zip`,
    sums: 'checksums.txt',
    format: 'zip' as const,
  }),
  actionlint: (v: string, p: Platform) => ({
    repo: 'rhysd/actionlint',
    archive: `actionlint_${v}_${p}.tar.gz`,
    sums: `actionlint_${v}_checksums.txt`,
    format: 'tar.gz' as const,
  }),
};

/** Where `tool` `version` for `platform` is published, and how to find its binary. `keyId`: the trusted signing key's (terraform). */
export function releasePlan(tool: ReleaseTool, version: string, platform: Platform, bases: ReleaseBases, keyId: string): ReleasePlan {
  if (tool === 'terraform') return terraformPlan(version, platform, bases, keyId);
  const spec = github[tool](version, platform);
  return {
    archive: githubFile(bases, spec.repo, version, spec.archive),
    sums: githubFile(bases, spec.repo, version, spec.sums),
    format: spec.format,
    member: spec.format === 'binary' ? spec.archive : tool,
  };
}

/**
 * The AWS provider's package as `terraform providers mirror <dir>` lays it out (Terraform's
 * packed mirror layout, `<host>/<namespace>/<type>/terraform-provider-<type>_<ver>_<os>_<arch>.zip`),
 * and the binary in it: HashiCorp names provider binaries `<name>_v<ver>_x5`, x5 for plugin
 * protocol 5 (terraform-provider-aws .github/workflows/build.yml, `bin_name`).
 */
export function providerPackage(source: string, version: string, platform: Platform): { zip: string; member: string } {
  const type = source.split('/').pop() ?? source;
  return { zip: `${source}/terraform-provider-${type}_${version}_${platform}.zip`, member: `terraform-provider-${type}_v${version}_x5` };
}
