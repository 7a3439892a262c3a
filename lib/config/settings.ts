import {
  boolean,
  bucketName,
  caBundleFile,
  endpointUrl,
  matching,
  nonNegativeInteger,
  oneOf,
  positiveInteger,
  projectPath,
  tagList,
  type Parsed,
} from './rules.js';

/** What every setting declares, whatever its value type: the flag, the env twin, the default, the text. */
interface SettingText {
  /** Property name in the typed Config. */
  key: string;
  /** Long flag without dashes. */
  flag: string;
  env: string;
  /** Raw default, or undefined when the setting is optional and unset by default. */
  default?: string;
  description: string;
}

/**
 * Every setting, declared once: its flag, its environment twin, its default and its
 * rule. `Config`, `.env.example`, `--help` and the README table all come from this.
 */
export interface SettingSpec<K extends string, T, D extends string | undefined> extends SettingText {
  key: K;
  default: D;
  parse: (raw: string) => Parsed<T>;
}

/** A setting with a default: its Config value is always there. */
function spec<K extends string, T>(s: Omit<SettingSpec<K, T, string>, 'default'> & { default: string }): SettingSpec<K, T, string>;
/** A setting without a default: its Config value may be undefined. */
function spec<K extends string, T>(s: Omit<SettingSpec<K, T, undefined>, 'default'>): SettingSpec<K, T, undefined>;
function spec<K extends string, T>(
  s: Omit<SettingSpec<K, T, string | undefined>, 'default'> & { default?: string },
): SettingSpec<K, T, string | undefined> {
  return { ...s, default: s.default };
}

const repositoryNamePattern = /^(?=.{2,205}$)(?:[a-z0-9]+(?:[._-][a-z0-9]+)*\/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$/;
const regionPattern = /^[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-[0-9]$/;

export const settings = [
  spec({
    key: 'profile',
    flag: 'profile',
    env: 'AWS_PROFILE',
    description: 'AWS CLI/SSO profile the tasks resolve credentials from (unset: the default credential chain)',
    parse: matching(/^[A-Za-z0-9_.+=,@-]{1,64}$/, '1-64 characters of letters, digits and _.+=,@-'),
  }),
  spec({
    key: 'expectedAccountId',
    flag: 'expected-account-id',
    env: 'DEPLOY_EXPECTED_ACCOUNT_ID',
    description: 'Stop before any write unless the credentials belong to this 12-digit AWS account',
    parse: matching(/^[0-9]{12}$/, 'a 12-digit AWS account id'),
  }),
  spec({
    key: 'repositoryName',
    flag: 'repository-name',
    env: 'DEPLOY_REPOSITORY_NAME',
    default: 'caylent-solutions/devcontainer-base',
    description: 'ECR Public repository the unit manages (checked by doctor and output)',
    parse: matching(
      repositoryNamePattern,
      'an ECR Public repository name: 2-205 characters, lowercase segments separated by / with single . _ or - inside',
    ),
  }),
  spec({
    key: 'ecrRegion',
    flag: 'ecr-region',
    env: 'DEPLOY_ECR_REGION',
    default: 'us-east-1',
    description: 'Region of the ECR Public API (it exists only in us-east-1)',
    parse: oneOf(['us-east-1']),
  }),
  spec({
    key: 'stateBucket',
    flag: 'state-bucket',
    env: 'DEPLOY_STATE_BUCKET',
    default: 'caylent-solutions-devcontainer-terraform-state',
    description: 'S3 bucket holding Terraform state; init creates and hardens it',
    parse: bucketName,
  }),
  spec({
    key: 'stateRegion',
    flag: 'state-region',
    env: 'DEPLOY_STATE_REGION',
    default: 'us-east-1',
    description: 'Region of the state bucket',
    parse: matching(regionPattern, 'an AWS region such as us-east-1'),
  }),
  spec({
    key: 'stateKmsKeyId',
    flag: 'state-kms-key-id',
    env: 'DEPLOY_STATE_KMS_KEY_ID',
    description: 'KMS key for state encryption (unset: SSE-S3)',
    parse: matching(
      // The forms Terraform's S3 backend accepts for kms_key_id: UUID or multi-Region key ids, ARNs, aliases.
      /^(arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:(key\/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})|alias\/[A-Za-z0-9/_-]{1,250})|alias\/[A-Za-z0-9/_-]{1,250}|mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$/,
      'a KMS key id (UUID or mrk-...), key ARN, alias/NAME or alias ARN',
    ),
  }),
  spec({
    key: 'stateNoncurrentDays',
    flag: 'state-noncurrent-days',
    env: 'DEPLOY_STATE_NONCURRENT_DAYS',
    default: '0',
    description: 'Expire noncurrent state versions after this many days (0: keep every version)',
    parse: nonNegativeInteger(3650),
  }),
  spec({
    key: 'stateTags',
    flag: 'state-tags',
    env: 'DEPLOY_STATE_TAGS',
    default: 'ManagedBy=devcontainer-ecr-tasks,Purpose=terraform-state',
    description: 'Tags on the state bucket, key=value pairs separated by commas',
    parse: tagList,
  }),
  spec({
    key: 'bucketReadyTimeoutSeconds',
    flag: 'bucket-ready-timeout',
    env: 'DEPLOY_BUCKET_READY_TIMEOUT_SECONDS',
    default: '120',
    description: 'How long init waits for a new state bucket to become reachable',
    parse: positiveInteger(3600),
  }),
  spec({
    key: 'awsTimeoutSeconds',
    flag: 'aws-timeout',
    env: 'DEPLOY_AWS_TIMEOUT_SECONDS',
    default: '15',
    description: 'Bound on each AWS API call and network check',
    parse: positiveInteger(600),
  }),
  spec({
    key: 'ssoWarningMinutes',
    flag: 'sso-warning-minutes',
    env: 'DEPLOY_SSO_WARNING_MINUTES',
    default: '30',
    description: 'doctor warns when the SSO session expires within this many minutes',
    parse: positiveInteger(1440),
  }),
  spec({
    key: 'minSessionMinutes',
    flag: 'min-session-minutes',
    env: 'DEPLOY_MIN_SESSION_MINUTES',
    default: '10',
    description: 'apply and destroy refuse to start when the AWS session expires within this many minutes',
    parse: positiveInteger(720),
  }),
  spec({
    key: 'sandboxStartTimeoutSeconds',
    flag: 'sandbox-start-timeout',
    env: 'DEPLOY_SANDBOX_START_TIMEOUT_SECONDS',
    default: '60',
    description: 'How long the local sandbox may take to start (moto, ECR Public server)',
    parse: positiveInteger(600),
  }),
  spec({
    key: 'infraDir',
    flag: 'infra-dir',
    env: 'DEPLOY_INFRA_DIR',
    default: 'platform/infra/terragrunt',
    description: 'Terragrunt root (holds root.hcl), relative to the project',
    parse: projectPath,
  }),
  spec({
    key: 'unit',
    flag: 'unit',
    env: 'DEPLOY_UNIT',
    default: 'us-east-1/ecr-public-repository',
    description: 'Unit directory under the Terragrunt root',
    parse: matching(
      /^(?!.*\.\.)[a-z0-9][a-z0-9_-]*(\/[a-z0-9][a-z0-9_-]*)*$/,
      'a path such as us-east-1/ecr-public-repository (lowercase segments, no ..)',
    ),
  }),
  spec({
    key: 'githubRepository',
    flag: 'github-repository',
    env: 'DEPLOY_GITHUB_REPOSITORY',
    default: 'caylent-solutions/devcontainer-base',
    description: 'GitHub "owner/repo" whose workflow runs may assume the push role (unit github-actions-ecr-push)',
    parse: matching(
      /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}\/(?!\.\.?$)[A-Za-z0-9._-]{1,100}$/,
      'owner/repo as GitHub spells it: an owner of letters, digits and single hyphens (at most 39), a repository of letters, digits and . _ -',
    ),
  }),
  spec({
    key: 'githubBranch',
    flag: 'github-branch',
    env: 'DEPLOY_GITHUB_BRANCH',
    default: 'main',
    description: 'The branch those workflow runs must be on to assume the push role',
    parse: matching(
      /^(?!refs\/)(?!\/)(?!.*\/\/)(?!.*\.\.)(?!.*@\{)(?!.*\$\{)(?!.*\/$)(?!.*\.lock$)(?!.*\.$)[A-Za-z0-9._\/-]{1,255}$/,
      'a branch name such as main or release/1.x (no refs/ prefix, no .., //, @{ or ${)',
    ),
  }),
  spec({
    key: 'pushRoleName',
    flag: 'push-role-name',
    env: 'DEPLOY_PUSH_ROLE_NAME',
    default: 'github-actions-ecr-push',
    description: 'Name of the IAM role GitHub Actions assumes to push the image',
    parse: matching(/^[A-Za-z0-9+=,.@_-]{1,64}$/, 'an IAM role name: 1-64 letters, digits and +=,.@_-'),
  }),
  spec({
    key: 'githubOidcProviderArn',
    flag: 'github-oidc-provider-arn',
    env: 'DEPLOY_GITHUB_OIDC_PROVIDER_ARN',
    description: "The account's existing GitHub OIDC provider (an account holds one per URL; unset: the push-role unit creates it)",
    parse: matching(
      /^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider\/token\.actions\.githubusercontent\.com$/,
      'arn:aws:iam::<account>:oidc-provider/token.actions.githubusercontent.com',
    ),
  }),
  spec({
    key: 'terraformPath',
    flag: 'terraform-path',
    env: 'DEPLOY_TERRAFORM_PATH',
    description: 'terraform binary (unset: the one on PATH or in the tools cache at the pinned version)',
    parse: matching(/^[A-Za-z0-9_./+-]{1,255}$/, 'a path of letters, digits and _./+-'),
  }),
  spec({
    key: 'terragruntPath',
    flag: 'terragrunt-path',
    env: 'DEPLOY_TERRAGRUNT_PATH',
    description: 'terragrunt binary (unset: the one on PATH or in the tools cache at the pinned version)',
    parse: matching(/^[A-Za-z0-9_./+-]{1,255}$/, 'a path of letters, digits and _./+-'),
  }),
  spec({
    key: 'pluginCacheDir',
    flag: 'plugin-cache-dir',
    env: 'DEPLOY_PLUGIN_CACHE_DIR',
    description: 'Terraform provider plugin cache (unset: plugin-cache/ in the tools cache)',
    parse: matching(/^[A-Za-z0-9_./-]{1,255}$/, 'a path of letters, digits and _./-'),
  }),
  spec({
    key: 's3Endpoint',
    flag: 's3-endpoint',
    env: 'AWS_ENDPOINT_URL_S3',
    description: 'S3 endpoint override (the sandbox sets it; unset for AWS)',
    parse: endpointUrl,
  }),
  spec({
    key: 'stsEndpoint',
    flag: 'sts-endpoint',
    env: 'AWS_ENDPOINT_URL_STS',
    description: 'STS endpoint override (the sandbox sets it; unset for AWS)',
    parse: endpointUrl,
  }),
  spec({
    key: 'ecrPublicEndpoint',
    flag: 'ecr-public-endpoint',
    env: 'AWS_ENDPOINT_URL_ECR_PUBLIC',
    description: 'ECR Public endpoint override (the sandbox sets it; unset for AWS)',
    parse: endpointUrl,
  }),
  spec({
    key: 'iamEndpoint',
    flag: 'iam-endpoint',
    env: 'AWS_ENDPOINT_URL_IAM',
    description: 'IAM endpoint override (the sandbox sets it; unset for AWS)',
    parse: endpointUrl,
  }),
  spec({
    key: 'caBundle',
    flag: 'ca-bundle',
    env: 'AWS_CA_BUNDLE',
    description: 'PEM file of extra certificate authorities to trust for AWS endpoints (corporate TLS proxies; the sandbox sets it)',
    parse: caBundleFile,
  }),
  spec({
    key: 's3PathStyle',
    flag: 's3-path-style',
    env: 'DEPLOY_S3_PATH_STYLE',
    default: 'false',
    description: 'Address S3 buckets by path (the sandbox needs it)',
    parse: boolean,
  }),
  spec({
    key: 'publicTokenUrl',
    flag: 'public-token-url',
    env: 'DEPLOY_PUBLIC_TOKEN_URL',
    default: 'https://public.ecr.aws/token/',
    description: 'Anonymous pull-token endpoint doctor uses to prove the repository is public',
    parse: endpointUrl,
  }),
  spec({
    key: 'galleryUrl',
    flag: 'gallery-url',
    env: 'DEPLOY_GALLERY_URL',
    default: 'https://gallery.ecr.aws',
    description: 'ECR Public Gallery base URL printed in summaries',
    parse: endpointUrl,
  }),
] as const;

export type Setting = (typeof settings)[number];
