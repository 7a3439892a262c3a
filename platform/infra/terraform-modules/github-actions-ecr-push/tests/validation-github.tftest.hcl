# The GitHub side of the trust: github_repository and github_branch.
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

# --- github_repository ---------------------------------------------------------

run "accepts_edge_repository_names" {
  command = plan

  variables {
    # A 39-character owner, and every character GitHub allows in a repository name.
    github_repository = "a23456789-123456789-123456789-123456789/My.Repo_name-2"
  }

  assert {
    condition     = output.trust_subject == "repo:a23456789-123456789-123456789-123456789/My.Repo_name-2:ref:refs/heads/main"
    error_message = "The trust subject does not carry the repository as given."
  }
}

run "github_repository_rejects_missing_owner" {
  command = plan

  variables {
    github_repository = "devcontainer-ecr"
  }

  expect_failures = [var.github_repository]
}

run "github_repository_rejects_owner_hyphen_at_end" {
  command = plan

  variables {
    github_repository = "caylent-/devcontainer-ecr"
  }

  expect_failures = [var.github_repository]
}

run "github_repository_rejects_owner_double_hyphen" {
  command = plan

  variables {
    github_repository = "caylent--solutions/devcontainer-ecr"
  }

  expect_failures = [var.github_repository]
}

run "github_repository_rejects_owner_too_long" {
  command = plan

  variables {
    github_repository = "${format("%040d", 0)}/devcontainer-ecr"
  }

  expect_failures = [var.github_repository]
}

run "github_repository_rejects_wildcard" {
  command = plan

  variables {
    github_repository = "caylent-solutions/*"
  }

  expect_failures = [var.github_repository]
}

run "github_repository_rejects_extra_segment" {
  command = plan

  variables {
    github_repository = "caylent-solutions/devcontainer-ecr/main"
  }

  expect_failures = [var.github_repository]
}

run "github_repository_rejects_dot_dot_name" {
  command = plan

  variables {
    github_repository = "caylent-solutions/.."
  }

  expect_failures = [var.github_repository]
}

run "github_repository_rejects_name_too_long" {
  command = plan

  variables {
    github_repository = "caylent-solutions/${format("%0101d", 0)}"
  }

  expect_failures = [var.github_repository]
}

# --- github_branch -------------------------------------------------------------

run "accepts_edge_branch_names" {
  command = plan

  variables {
    github_branch = "release/v1.2_x-y+z@1"
  }

  assert {
    condition     = output.trust_subject == "repo:caylent-solutions/devcontainer-ecr:ref:refs/heads/release/v1.2_x-y+z@1"
    error_message = "The trust subject does not carry the branch as given."
  }
}

run "github_branch_rejects_empty" {
  command = plan

  variables {
    github_branch = ""
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_space" {
  command = plan

  variables {
    github_branch = "my branch"
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_wildcard" {
  command = plan

  variables {
    github_branch = "release/*"
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_double_dot" {
  command = plan

  variables {
    github_branch = "main..next"
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_leading_slash" {
  command = plan

  variables {
    github_branch = "/main"
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_double_slash" {
  command = plan

  variables {
    github_branch = "release//v1"
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_dot_lock_component" {
  command = plan

  variables {
    github_branch = "release.lock/v1"
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_leading_dash" {
  command = plan

  variables {
    github_branch = "-main"
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_reflog_syntax" {
  command = plan

  variables {
    github_branch = "main@{1}"
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_full_ref" {
  command = plan

  variables {
    github_branch = "refs/heads/main"
  }

  expect_failures = [var.github_branch]
}

run "github_branch_rejects_policy_variable" {
  command = plan

  variables {
    github_branch = "feature-$${user}"
  }

  expect_failures = [var.github_branch]
}
