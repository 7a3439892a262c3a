# The AWS side: the repository and provider ARNs, the role name and session, tags.
# One run per validation rule: each starts from valid inputs, breaks exactly one
# of them, and expects that input (and nothing else) to be rejected at plan time.
# Runs named accepts_* plan edge values that are valid and must stay accepted.
# The mock provider means no AWS account or credentials are involved.

mock_provider "aws" {
  # A mock would fill the documents' json with random text; the role needs a policy.
  mock_data "aws_iam_policy_document" {
    defaults = {
      json = "{\"Version\":\"2012-10-17\",\"Statement\":[]}"
    }
  }
}

variables {
  github_repository         = "caylent-solutions/devcontainer-ecr"
  github_branch             = "main"
  repository_arn            = "arn:aws:ecr-public::123456789012:repository/caylent-solutions/devcontainer-base"
  permissions_boundary_name = "github-actions-ecr-push-boundary"
}

# --- repository_arn ------------------------------------------------------------

run "accepts_repository_arn_in_another_partition" {
  command = plan

  variables {
    repository_arn = "arn:aws-us-gov:ecr-public::123456789012:repository/devcontainer-base"
  }
}

run "repository_arn_rejects_private_ecr_arn" {
  command = plan

  variables {
    repository_arn = "arn:aws:ecr:us-east-1:123456789012:repository/caylent-solutions/devcontainer-base"
  }

  expect_failures = [var.repository_arn]
}

run "repository_arn_rejects_short_account_id" {
  command = plan

  variables {
    repository_arn = "arn:aws:ecr-public::12345678901:repository/caylent-solutions/devcontainer-base"
  }

  expect_failures = [var.repository_arn]
}

run "repository_arn_rejects_wildcard" {
  command = plan

  variables {
    repository_arn = "arn:aws:ecr-public::123456789012:repository/*"
  }

  expect_failures = [var.repository_arn]
}

# --- existing_oidc_provider_arn ------------------------------------------------

run "accepts_existing_provider_in_another_partition" {
  command = plan

  variables {
    existing_oidc_provider_arn = "arn:aws-us-gov:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
  }
}

run "existing_oidc_provider_arn_rejects_empty_string" {
  command = plan

  variables {
    existing_oidc_provider_arn = ""
  }

  expect_failures = [var.existing_oidc_provider_arn]
}

run "existing_oidc_provider_arn_rejects_other_issuer" {
  command = plan

  variables {
    existing_oidc_provider_arn = "arn:aws:iam::123456789012:oidc-provider/gitlab.com"
  }

  expect_failures = [var.existing_oidc_provider_arn]
}

run "existing_oidc_provider_arn_rejects_saml_provider" {
  command = plan

  variables {
    existing_oidc_provider_arn = "arn:aws:iam::123456789012:saml-provider/token.actions.githubusercontent.com"
  }

  expect_failures = [var.existing_oidc_provider_arn]
}

# --- permissions_boundary_name -------------------------------------------------

run "permissions_boundary_name_rejects_an_arn" {
  command = plan

  variables {
    # The name alone: the module builds the ARN in the repository's account.
    permissions_boundary_name = "arn:aws:iam::123456789012:policy/github-actions-ecr-push-boundary"
  }

  expect_failures = [var.permissions_boundary_name]
}

run "permissions_boundary_name_rejects_too_long" {
  command = plan

  variables {
    permissions_boundary_name = format("%0129d", 0)
  }

  expect_failures = [var.permissions_boundary_name]
}

# --- role_name and max_session_duration ---------------------------------------

run "accepts_edge_role_names_and_longest_session" {
  command = plan

  variables {
    role_name            = "a+=,.@_-${format("%056d", 0)}"
    max_session_duration = 43200
  }

  assert {
    condition     = aws_iam_role.this.name == var.role_name && aws_iam_role.this.max_session_duration == 43200
    error_message = "The planned role does not have the given name and session duration."
  }
}

run "role_name_rejects_too_long" {
  command = plan

  variables {
    role_name = format("%065d", 0)
  }

  expect_failures = [var.role_name]
}

run "role_name_rejects_disallowed_character" {
  command = plan

  variables {
    role_name = "github/actions"
  }

  expect_failures = [var.role_name]
}

run "max_session_duration_rejects_below_one_hour" {
  command = plan

  variables {
    max_session_duration = 3599
  }

  expect_failures = [var.max_session_duration]
}

run "max_session_duration_rejects_above_twelve_hours" {
  command = plan

  variables {
    max_session_duration = 43201
  }

  expect_failures = [var.max_session_duration]
}

run "max_session_duration_rejects_fraction" {
  command = plan

  variables {
    max_session_duration = 3600.5
  }

  expect_failures = [var.max_session_duration]
}

# --- tags ----------------------------------------------------------------------

run "tags_reject_more_than_50" {
  command = plan

  variables {
    tags = { for i in range(51) : "key${i}" => "value" }
  }

  expect_failures = [var.tags]
}

run "tags_reject_key_too_long" {
  command = plan

  variables {
    tags = { (format("%0129d", 0)) = "value" }
  }

  expect_failures = [var.tags]
}

run "tags_reject_reserved_aws_prefix" {
  command = plan

  variables {
    tags = { "aws:owner" = "platform" }
  }

  expect_failures = [var.tags]
}

run "tags_reject_value_too_long" {
  command = plan

  variables {
    tags = { Owner = format("%0257d", 0) }
  }

  expect_failures = [var.tags]
}

run "tags_reject_disallowed_character" {
  command = plan

  variables {
    tags = { Owner = "platform#team" }
  }

  expect_failures = [var.tags]
}
