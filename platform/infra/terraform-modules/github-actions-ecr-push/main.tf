locals {
  # GitHub's OIDC issuer. IAM names the provider by the URL without its scheme,
  # and that host is also the prefix of the token's condition keys.
  github_oidc_url  = "https://token.actions.githubusercontent.com"
  github_oidc_host = "token.actions.githubusercontent.com"

  # The audience aws-actions/configure-aws-credentials requests by default.
  sts_audience = "sts.amazonaws.com"

  # The token's sub claim for a job on that branch (GitHub's default subject
  # template, job without an `environment:`). Pull requests, other branches and
  # tags get other subjects, so they cannot assume the role.
  trust_subject = "repo:${var.github_repository}:ref:refs/heads/${var.github_branch}"

  oidc_provider_arn = var.existing_oidc_provider_arn == null ? aws_iam_openid_connect_provider.github[0].arn : var.existing_oidc_provider_arn

  # The boundary lives in the repository's account and partition (an ECR Public
  # ARN reads arn:<partition>:ecr-public::<account>:repository/<name>).
  permissions_boundary_arn = "arn:${split(":", var.repository_arn)[1]}:iam::${split(":", var.repository_arn)[4]}:policy/${var.permissions_boundary_name}"
}

# An account holds at most one provider per URL: pass existing_oidc_provider_arn
# when another stack (or a person) already created it.
resource "aws_iam_openid_connect_provider" "github" {
  count = var.existing_oidc_provider_arn == null ? 1 : 0

  url            = local.github_oidc_url
  client_id_list = [local.sts_audience]
  # No thumbprint_list: IAM verifies GitHub's certificate through its own
  # library of trusted root CAs, so a pinned thumbprint would only go stale.

  tags = var.tags
}

data "aws_iam_policy_document" "trust" {
  statement {
    sid     = "GitHubActionsBranch"
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

    # StringEquals, not StringLike: one repository, one branch, no wildcards.
    condition {
      test     = "StringEquals"
      variable = "${local.github_oidc_host}:sub"
      values   = [local.trust_subject]
    }
  }
}

# What `docker push` (or crane/skopeo) to ECR Public needs, and nothing that
# reads, deletes or reconfigures the repository.
data "aws_iam_policy_document" "push" {
  statement {
    sid    = "PushImagesToTheRepository"
    effect = "Allow"
    actions = [
      "ecr-public:BatchCheckLayerAvailability",
      "ecr-public:CompleteLayerUpload",
      "ecr-public:InitiateLayerUpload",
      "ecr-public:PutImage",
      "ecr-public:UploadLayerPart",
    ]
    resources = [var.repository_arn]
  }

  # The registry login: ECR Public's GetAuthorizationToken hands out an STS
  # service bearer token, and "requires the ecr-public:GetAuthorizationToken and
  # sts:GetServiceBearerToken permissions" (Amazon ECR Public API Reference,
  # GetAuthorizationToken). Neither action supports resource-level permissions,
  # so "*" is the only resource IAM accepts. No sts:AWSServiceName condition: no
  # AWS source shows the value ECR Public's login presents, and a wrong guess
  # only breaks the login. It grants nothing beyond ECR Public either: "the
  # bearer token can be used only for calls to the service that generates it and
  # in the Region where it was generated" (IAM User Guide, "Service bearer tokens").
  statement {
    sid       = "BearerTokenForTheRegistryLogin"
    effect    = "Allow"
    actions   = ["sts:GetServiceBearerToken"]
    resources = ["*"]
  }

  # The authorization token only through the ECR Public API's own region (it
  # exists only in us-east-1), so the login cannot be requested elsewhere.
  statement {
    sid       = "LogInToTheRegistry"
    effect    = "Allow"
    actions   = ["ecr-public:GetAuthorizationToken"]
    resources = ["*"]

    condition {
      test     = "StringEquals"
      variable = "aws:RequestedRegion"
      values   = ["us-east-1"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = var.role_name
  description          = "Assumed by GitHub Actions in ${var.github_repository} to push images to ${var.repository_arn}."
  assume_role_policy   = data.aws_iam_policy_document.trust.json
  max_session_duration = var.max_session_duration
  # The ceiling the github-actions-ci-roles unit sets: whoever writes the inline
  # policy below (CI's apply role does), the role can do no more than push.
  permissions_boundary = local.permissions_boundary_arn

  tags = var.tags
}

resource "aws_iam_role_policy" "push" {
  name   = "ecr-public-push"
  role   = aws_iam_role.this.name
  policy = data.aws_iam_policy_document.push.json
}
