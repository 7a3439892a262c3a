import { absolutePath, boolean, httpsBase, positiveInteger } from './rules.js';
import { spec } from './setting-spec.js';

/**
 * The settings of where the pinned tools come from: `npm run tools` validates only these (it
 * deploys nothing), every other task reads them with the rest of the table, as its tool
 * resolution looks in the same cache. Their names start with TOOLS_, like TOOLS_PROVIDER_MIRROR,
 * which is a deploy setting (it changes how terraform installs the provider) and stays there.
 */
export const toolSpecs = [
  spec({
    key: 'toolsCacheDir',
    flag: 'tools-cache-dir',
    env: 'TOOLS_CACHE_DIR',
    group: 'tools',
    description:
      'Where `npm run tools` keeps installed tools, the provider mirror and virtualenvs, an absolute path outside the repo (unset: ${XDG_CACHE_HOME:-$HOME/.cache}/devcontainer-ecr-tools)',
    parse: absolutePath,
  }),
  spec({
    key: 'toolsSourceDir',
    flag: 'tools-source-dir',
    env: 'TOOLS_SOURCE_DIR',
    group: 'tools',
    description:
      'Absolute path of a folder holding the terraform and terragrunt source archives tools.lock.json pins (sha256): set, those two are built from them with Go instead of downloaded, for machines that cannot reach the release sites',
    parse: absolutePath,
  }),
  spec({
    key: 'toolsBuildFromSource',
    flag: 'tools-build-from-source',
    env: 'TOOLS_BUILD_FROM_SOURCE',
    group: 'tools',
    default: 'false',
    description:
      'true: build the AWS provider, tflint, its AWS ruleset and actionlint (and terraform and terragrunt unless TOOLS_SOURCE_DIR is set) through the Go module proxy instead of downloading the official releases',
    parse: boolean,
  }),
  spec({
    key: 'toolsDownloadTimeoutSeconds',
    flag: 'tools-download-timeout',
    env: 'TOOLS_DOWNLOAD_TIMEOUT_SECONDS',
    group: 'tools',
    default: '600',
    description:
      'Bound on each download of `npm run tools` (one release file, or the whole terraform providers mirror); behind a proxy, also set NODE_USE_ENV_PROXY=1 so Node uses HTTPS_PROXY',
    parse: positiveInteger(86_400),
  }),
  spec({
    key: 'toolsProbeTimeoutSeconds',
    flag: 'tools-probe-timeout',
    env: 'TOOLS_PROBE_TIMEOUT_SECONDS',
    group: 'tools',
    default: '30',
    description:
      'Bound on each version probe of a tool binary (`terraform version`, `terragrunt --version`, ...): a binary that does not answer within it is stopped and reported',
    parse: positiveInteger(86_400),
  }),
  spec({
    key: 'toolsHashicorpReleasesUrl',
    flag: 'tools-hashicorp-releases-url',
    env: 'TOOLS_HASHICORP_RELEASES_URL',
    group: 'tools',
    default: 'https://releases.hashicorp.com',
    description: 'Where terraform releases are downloaded from: HashiCorp, or a mirror with the same paths',
    parse: httpsBase,
  }),
  spec({
    key: 'toolsGithubUrl',
    flag: 'tools-github-url',
    env: 'TOOLS_GITHUB_URL',
    group: 'tools',
    default: 'https://github.com',
    description:
      'Where the terragrunt, tflint, tflint-ruleset-aws and actionlint releases are downloaded from: GitHub, or a mirror with the same <owner>/<repo>/releases/download/<tag>/<file> paths',
    parse: httpsBase,
  }),
  spec({
    key: 'toolsHashicorpKeyFile',
    flag: 'tools-hashicorp-key-file',
    env: 'TOOLS_HASHICORP_KEY_FILE',
    group: 'tools',
    description:
      "Armored OpenPGP public key trusted to sign terraform's SHA256SUMS, an absolute path (unset: HashiCorp's, committed as lib/tools/release/hashicorp-release-key.asc); for tests and for mirrors that sign with their own key",
    parse: absolutePath,
  }),
] as const;
