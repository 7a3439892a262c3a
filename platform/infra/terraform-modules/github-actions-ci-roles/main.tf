# The two roles GitHub Actions assumes to run the deploy tasks, the push role's
# permissions boundary, and (unless it exists already) the account's GitHub OIDC
# provider. An operator applies this with their own credentials; no role CI can
# assume may change anything here (see policies.tf).

data "aws_caller_identity" "current" {}

data "aws_partition" "current" {}

locals {
  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition

  # GitHub's OIDC issuer: IAM names the provider by the URL without its scheme,
  # which is also the prefix of the token's condition keys.
  github_oidc_url  = "https://token.actions.githubusercontent.com"
  github_oidc_host = "token.actions.githubusercontent.com"
  # The audience aws-actions/configure-aws-credentials requests by default.
  sts_audience = "sts.amazonaws.com"

  oidc_provider_arn = var.existing_oidc_provider_arn == null ? aws_iam_openid_connect_provider.github[0].arn : var.existing_oidc_provider_arn

  # GitHub's default subject template: a job in an environment gets
  # environment:<name>, a pull request's job pull_request, any other job the ref.
  plan_subjects = [
    "repo:${var.github_repository}:pull_request",
    "repo:${var.github_repository}:ref:refs/heads/${var.github_branch}",
  ]
  apply_subject = "repo:${var.github_repository}:environment:${var.production_environment}"
  # The workflow file and the ref it ran from: a pull request's copy of apply.yml
  # runs as ...@refs/pull/<n>/merge, a branch's as ...@refs/heads/<branch>.
  apply_job_workflow_ref = "${var.github_repository}/${var.apply_workflow_path}@refs/heads/${var.github_branch}"
}

# An account holds at most one provider per URL: pass existing_oidc_provider_arn
# when it exists already (npm run doctor -- --all finds it). The push-role unit
# trusts the same provider and never creates one.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.existing_oidc_provider_arn == null ? 1 : 0

  url            = local.github_oidc_url
  client_id_list = [local.sts_audience]
  # No thumbprint_list: IAM verifies GitHub's certificate through its own
  # library of trusted root CAs, so a pinned thumbprint would only go stale.

  tags = var.tags
}

data "aws_iam_policy_document" "plan_trust" {
  statement {
    sid     = "PullRequestsAndTheDefaultBranch"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = [local.sts_audience]
    }

    # StringEquals, not StringLike: these two subjects and no other.
    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = local.plan_subjects
    }
  }
}

data "aws_iam_policy_document" "apply_trust" {
  statement {
    sid     = "TheProductionEnvironmentOfApplyOnTheDefaultBranch"
    effect  = "Allow"
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [local.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:aud"
      values   = [local.sts_audience]
    }

    # Only a job that runs in the environment, so only after its reviewers approved.
    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = [local.apply_subject]
    }

    # And only apply.yml as it is on the default branch: a branch or pull request
    # that edits the workflow to use the environment does not match. STS checks
    # this claim in trust policies since January 2026 (IAM User Guide, "Available
    # keys for OIDC federation"; the Service Authorization Reference lists
    # token.actions.githubusercontent.com:job_workflow_ref for
    # sts:AssumeRoleWithWebIdentity). GitHub sets the claim for every job: the
    # workflow file of the job itself, or of the reusable workflow it calls.
    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:job_workflow_ref"
      values   = [local.apply_job_workflow_ref]
    }
  }
}

resource "aws_iam_role" "plan" {
  name                 = var.plan_role_name
  description          = "Read-only: pull-request plans and the drift check of ${var.github_repository}, without the state lock. Applied by an operator, never by CI."
  assume_role_policy   = data.aws_iam_policy_document.plan_trust.json
  max_session_duration = var.max_session_duration

  tags = var.tags
}

resource "aws_iam_role_policy" "plan" {
  name   = "ci-plan-read-only"
  role   = aws_iam_role.plan.name
  policy = data.aws_iam_policy_document.plan.json
}

resource "aws_iam_role" "apply" {
  name                 = var.apply_role_name
  description          = "The ${var.production_environment} environment's apply job of ${var.github_repository}: exactly the writes its units need. Applied by an operator, never by CI."
  assume_role_policy   = data.aws_iam_policy_document.apply_trust.json
  max_session_duration = var.max_session_duration

  tags = var.tags
}

resource "aws_iam_role_policy" "apply" {
  name   = "ci-apply"
  role   = aws_iam_role.apply.name
  policy = data.aws_iam_policy_document.apply.json
}

# The most the push role can ever do, whatever its own policy says: the apply
# role may write the push role's inline policy, but IAM grants the intersection
# of that policy and this boundary, which only an operator can change.
resource "aws_iam_policy" "push_boundary" {
  name        = var.push_role_boundary_name
  description = "Permissions boundary of ${var.push_role_name}: pushing images to ${local.repository_arn} and the registry login, nothing else."
  policy      = data.aws_iam_policy_document.push_boundary.json

  tags = var.tags
}
