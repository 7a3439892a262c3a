# The IAM role that GitHub Actions assumes, through GitHub's OIDC identity
# provider, to push the mirrored image to the ECR Public repository of the
# sibling unit ../ecr-public-repository. Only workflow runs of one repository on
# one branch can assume it, and it may only push to that one repository.
#
# The settings are the tasks' (see .env.example):
#
#   DEPLOY_GITHUB_REPOSITORY         required  "owner/repo" whose workflows may assume the role.
#   DEPLOY_GITHUB_BRANCH             required  The branch those workflow runs must be on.
#   DEPLOY_GITHUB_OIDC_PROVIDER_ARN  optional  The account's existing GitHub OIDC provider
#                                              (an account holds one per URL). Default "" =
#                                              the one the github-actions-ci-roles unit
#                                              created in the repository's account.
#   DEPLOY_PUSH_ROLE_NAME            required  Name of the role.
#   DEPLOY_PUSH_ROLE_BOUNDARY_NAME   required  Its permissions boundary, which the
#                                              github-actions-ci-roles unit creates.
#
# So apply ../github-actions-ci-roles first (an operator does, with --unit): it owns
# the provider and the boundary, which CI's apply role can neither create nor change.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

terraform {
  source = "../../../terraform-modules//github-actions-ecr-push"
}

# The repository the role may push to. Terragrunt reads its ARN from that unit's
# state, so apply the repository unit first.
dependency "repository" {
  config_path = "../ecr-public-repository"

  # Only so that this unit can be validated and planned before the repository
  # exists: apply and destroy always need the real output. The placeholder is a
  # well-formed ARN (the module validates it) in no real account; do not apply
  # a plan made with it, plan again once the repository unit is applied.
  mock_outputs = {
    repository_arn = "arn:aws:ecr-public::000000000000:repository/placeholder-until-the-repository-unit-is-applied"
    registry_id    = "000000000000"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  repository_arn = dependency.repository.outputs.repository_arn

  github_repository = get_env("DEPLOY_GITHUB_REPOSITORY")
  github_branch     = get_env("DEPLOY_GITHUB_BRANCH")

  # Never null, so this unit never creates the provider: unset means the one the
  # github-actions-ci-roles unit created (IAM names it by account and URL).
  existing_oidc_provider_arn = get_env("DEPLOY_GITHUB_OIDC_PROVIDER_ARN", "") != "" ? get_env("DEPLOY_GITHUB_OIDC_PROVIDER_ARN") : "arn:aws:iam::${dependency.repository.outputs.registry_id}:oidc-provider/token.actions.githubusercontent.com"

  role_name                 = get_env("DEPLOY_PUSH_ROLE_NAME")
  permissions_boundary_name = get_env("DEPLOY_PUSH_ROLE_BOUNDARY_NAME")
}
