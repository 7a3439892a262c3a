# The roles GitHub Actions assumes to run the deploy tasks (a read-only plan role,
# and the production environment's apply role), the push role's permissions
# boundary and, unless it exists already, the account's GitHub OIDC provider.
#
# An operator applies this unit with their own SSO profile, before the other
# units (the push role needs the boundary and the provider):
#
#   npm run plan  -- --unit us-east-1/github-actions-ci-roles
#   npm run apply -- --unit us-east-1/github-actions-ci-roles
#
# CI never does: no role it can assume may change these roles, and the exclude
# block below leaves this unit out of every --all run (plan, apply, drift,
# output, destroy), which is all the workflows run.
#
# The settings are the tasks' (see .env.example): DEPLOY_GITHUB_REPOSITORY,
# DEPLOY_GITHUB_BRANCH, DEPLOY_GITHUB_OIDC_PROVIDER_ARN, DEPLOY_STATE_BUCKET,
# DEPLOY_STATE_KMS_KEY_ID, DEPLOY_REPOSITORY_NAME, DEPLOY_PUSH_ROLE_NAME and
# DEPLOY_PUSH_ROLE_BOUNDARY_NAME.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../terraform-modules//github-actions-ci-roles"
}

# Terragrunt's own way to keep a unit out of `--all`: the tasks' unit discovery
# (lib/deploy/units.ts, `terragrunt find --exclude`) honours it the same way. A
# run with --unit still plans and applies it (no_run is not set).
exclude {
  if      = true
  actions = ["all"]
}

inputs = {
  github_repository = get_env("DEPLOY_GITHUB_REPOSITORY")
  github_branch     = get_env("DEPLOY_GITHUB_BRANCH")

  # "" (unset) means null: this unit then creates the provider.
  existing_oidc_provider_arn = get_env("DEPLOY_GITHUB_OIDC_PROVIDER_ARN", "") == "" ? null : get_env("DEPLOY_GITHUB_OIDC_PROVIDER_ARN")

  state_bucket      = get_env("DEPLOY_STATE_BUCKET")
  state_kms_key_arn = get_env("DEPLOY_STATE_KMS_KEY_ID", "") == "" ? null : get_env("DEPLOY_STATE_KMS_KEY_ID")

  # The units CI plans and applies: every unit under the root but this one
  # (test/unit/ci-roles-unit.test.ts checks the list against the tree).
  ci_units = [
    "us-east-1/ecr-public-repository",
    "us-east-1/github-actions-ecr-push",
  ]

  repository_name         = get_env("DEPLOY_REPOSITORY_NAME")
  push_role_name          = get_env("DEPLOY_PUSH_ROLE_NAME")
  push_role_boundary_name = get_env("DEPLOY_PUSH_ROLE_BOUNDARY_NAME")
}
