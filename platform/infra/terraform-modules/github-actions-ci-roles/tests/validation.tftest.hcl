# One run per validation rule: each starts from valid inputs, breaks exactly one
# of them, and expects that input (and nothing else) to be rejected at plan time.
# The mock provider means no AWS account or credentials are involved.

mock_provider "aws" {
  # A mock would fill the documents' json with random text; the roles need a policy.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }

  mock_data "aws_caller_identity" {
    defaults = {
      account_id = "123456789012"
    }
  }
}

variables {
  github_repository       = "caylent-solutions/devcontainer-base"
  state_bucket            = "caylent-solutions-devcontainer-terraform-state"
  ci_units                = ["us-east-1/ecr-public-repository", "us-east-1/github-actions-ecr-push"]
  repository_name         = "caylent-solutions/devcontainer-base"
  push_role_name          = "github-actions-ecr-push"
  push_role_boundary_name = "github-actions-ecr-push-boundary"
}

run "accepts_the_defaults_and_a_key_arn" {
  command = plan

  variables {
    state_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/mrk-0123456789abcdef0123456789abcdef"
  }
}

run "push_role_name_rejects_a_ci_role_name" {
  command = plan

  variables {
    # IAM role names are case-insensitive: the apply role could then rewrite itself.
    push_role_name = "GitHub-Actions-CI-Apply"
  }

  expect_failures = [var.push_role_name]
}

run "state_kms_key_arn_rejects_an_alias" {
  command = plan

  variables {
    state_kms_key_arn = "alias/terraform-state"
  }

  expect_failures = [var.state_kms_key_arn]
}

run "ci_units_rejects_a_wildcard" {
  command = plan

  variables {
    ci_units = ["us-east-1/*"]
  }

  expect_failures = [var.ci_units]
}

run "ci_units_rejects_none" {
  command = plan

  variables {
    ci_units = []
  }

  expect_failures = [var.ci_units]
}

run "apply_workflow_path_rejects_a_file_outside_the_workflows" {
  command = plan

  variables {
    apply_workflow_path = "scripts/apply.yml"
  }

  expect_failures = [var.apply_workflow_path]
}

run "github_branch_rejects_a_wildcard" {
  command = plan

  variables {
    github_branch = "release/*"
  }

  expect_failures = [var.github_branch]
}

run "github_repository_rejects_a_wildcard" {
  command = plan

  variables {
    github_repository = "caylent-solutions/*"
  }

  expect_failures = [var.github_repository]
}

run "existing_oidc_provider_arn_rejects_another_issuer" {
  command = plan

  variables {
    existing_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/gitlab.com"
  }

  expect_failures = [var.existing_oidc_provider_arn]
}

run "production_environment_rejects_a_colon" {
  command = plan

  variables {
    production_environment = "prod:eu"
  }

  expect_failures = [var.production_environment]
}
