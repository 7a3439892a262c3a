// Each module's rules, broken one at a time in a copy of the module: module.test.ts checks
// that `terraform test` then fails in exactly the run that covers the rule.

export interface Mutation {
  /** What the mutation does to the module, for the test name. */
  description: string;
  file: string;
  find: string;
  replace: string;
  /**
   * The run block that must fail once the rule is broken. terraform test skips the
   * runs after a failed one in the same file, so every other run must pass or be skipped.
   */
  failingRun: string;
}

const REPOSITORY_MUTATIONS: Mutation[] = [
  {
    description: 'the architecture allow-list accepts anything',
    file: 'variables.tf',
    find: 'condition     = alltrue([for arch in var.architectures : contains(["ARM", "ARM 64", "x86", "x86-64"], arch)])',
    // A validation condition must refer to its variable, so "always true" is spelled this way.
    replace: 'condition     = length(var.architectures) >= 0',
    failingRun: 'architectures_reject_unknown_badge',
  },
  {
    description: 'the repository name pattern is unanchored, as in the AWS provider',
    file: 'variables.tf',
    find: 'can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", var.repository_name))',
    replace: 'can(regex("(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*", var.repository_name))',
    failingRun: 'repository_name_rejects_uppercase',
  },
];

const PUSH_ROLE_MUTATIONS: Mutation[] = [
  {
    description: 'the push statement also allows deleting the repository',
    file: 'main.tf',
    find: '      "ecr-public:PutImage",\n',
    replace: '      "ecr-public:PutImage",\n      "ecr-public:DeleteRepository",\n',
    failingRun: 'push_policy_grants_only_push_on_the_repository_and_login',
  },
  {
    description: 'the OIDC provider is created even when an existing one is given',
    file: 'main.tf',
    find: 'count = var.existing_oidc_provider_arn == null ? 1 : 0',
    replace: 'count = 1',
    failingRun: 'trust_uses_the_existing_provider_without_creating_one',
  },
  {
    description: 'github_branch accepts a full ref, which would never match the subject',
    file: 'variables.tf',
    find: 'condition     = !startswith(var.github_branch, "refs/")',
    replace: 'condition     = length(var.github_branch) >= 0',
    failingRun: 'github_branch_rejects_full_ref',
  },
  {
    description: 'the role is created without the permissions boundary',
    file: 'main.tf',
    find: '  permissions_boundary = local.permissions_boundary_arn\n',
    replace: '',
    failingRun: 'role_is_bounded_by_the_ci_roles_boundary',
  },
];

const CI_ROLES_MUTATIONS: Mutation[] = [
  {
    description: 'the plan role trusts every subject of the repository',
    file: 'main.tf',
    find: '      values   = local.plan_subjects',
    replace: '      values   = ["repo:${var.github_repository}:*"]',
    failingRun: 'plan_role_trusts_pull_requests_and_the_default_branch_only',
  },
  {
    description: 'the apply role trusts apply.yml from any ref',
    file: 'main.tf',
    find: '      values   = [local.apply_job_workflow_ref]',
    replace: '      values   = ["${var.github_repository}/${var.apply_workflow_path}@*"]',
    failingRun: 'apply_role_trusts_production_and_apply_yml_on_the_default_branch_only',
  },
  {
    description: 'the plan role may write the state lock',
    file: 'policies.tf',
    find: '    actions   = ["s3:GetObject"]',
    replace: '    actions   = ["s3:GetObject", "s3:PutObject"]',
    failingRun: 'plan_role_reads_only_and_denies_everything_else',
  },
  {
    description: 'the boundary lets the push role delete the repository',
    file: 'policies.tf',
    find: '      "ecr-public:PutImage",\n',
    replace: '      "ecr-public:PutImage",\n      "ecr-public:DeleteRepository",\n',
    failingRun: 'the_boundary_caps_the_push_role_at_pushing',
  },
  {
    description: 'the push role may be named like a CI role',
    file: 'variables.tf',
    find: 'condition     = !contains([lower(var.plan_role_name), lower(var.apply_role_name)], lower(var.push_role_name))',
    replace: 'condition     = length(var.push_role_name) > 0',
    failingRun: 'push_role_name_rejects_a_ci_role_name',
  },
];

export const MODULES: Array<{ name: string; mutations: Mutation[] }> = [
  { name: 'ecr-public-repository', mutations: REPOSITORY_MUTATIONS },
  { name: 'github-actions-ecr-push', mutations: PUSH_ROLE_MUTATIONS },
  { name: 'github-actions-ci-roles', mutations: CI_ROLES_MUTATIONS },
];
