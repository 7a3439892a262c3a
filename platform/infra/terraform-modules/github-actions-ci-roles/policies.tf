# What each role may do, action by action, on the ARNs of this account that the
# inputs name. Each role's policy ends with a Deny of every action it does not
# list (NotAction), so a policy attached later cannot widen it either.
#
# Where the calls come from: the tasks (lib/: the state bucket's presence and
# hardening reads, the state and lock objects, doctor's reads) and the AWS
# provider's refresh, create and update of the units' resources. npm test proves
# the list with an IAM policy evaluator (test/infra/ci-roles-policies.test.ts) and
# in the sandbox, with moto enforcing IAM (test/e2e/ci-roles.test.ts).

locals {
  bucket_arn = "arn:${local.partition}:s3:::${var.state_bucket}"
  # The objects terraform's S3 backend reads and writes for each CI unit: the
  # state and its lock file (use_lockfile). Not this unit's, nor any other key.
  state_object_arns = [for u in var.ci_units : "${local.bucket_arn}/${u}/terraform.tfstate"]
  lock_object_arns  = [for u in var.ci_units : "${local.bucket_arn}/${u}/terraform.tfstate.tflock"]

  repository_arn    = "arn:${local.partition}:ecr-public::${local.account}:repository/${var.repository_name}"
  registry_arn      = "arn:${local.partition}:ecr-public::${local.account}:registry/${local.account}"
  push_role_arn     = "arn:${local.partition}:iam::${local.account}:role/${var.push_role_name}"
  push_boundary_arn = "arn:${local.partition}:iam::${local.account}:policy/${var.push_role_boundary_name}"
  ci_role_arns = [
    "arn:${local.partition}:iam::${local.account}:role/${var.plan_role_name}",
    "arn:${local.partition}:iam::${local.account}:role/${var.apply_role_name}",
  ]

  # HeadBucket is s3:ListBucket; doctor reads each hardening setting
  # (lib/state-bucket/hardening.ts: S3 names these permissions apart from their calls).
  bucket_reads = [
    "s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketOwnershipControls", "s3:GetBucketPublicAccessBlock",
    "s3:GetEncryptionConfiguration", "s3:GetBucketVersioning", "s3:GetBucketPolicy", "s3:GetBucketTagging",
    "s3:GetLifecycleConfiguration",
  ]
  repository_reads = [
    "ecr-public:DescribeRepositories", "ecr-public:GetRepositoryCatalogData", "ecr-public:ListTagsForResource",
    "ecr-public:GetRepositoryPolicy",
  ]
  # aws_iam_role's refresh, aws_iam_role_policy's, and doctor --all reading the push role back.
  push_role_reads = ["iam:GetRole", "iam:ListRolePolicies", "iam:GetRolePolicy", "iam:ListAttachedRolePolicies"]

  # Create and update of aws_ecrpublic_repository. No DeleteRepository: CI never
  # destroys, and a rename would be another repository, outside this ARN anyway.
  repository_writes = ["ecr-public:CreateRepository", "ecr-public:PutRepositoryCatalogData", "ecr-public:TagResource", "ecr-public:UntagResource"]
  # Create and update of the push role and its inline policy; never a managed
  # policy (no AttachRolePolicy) and never without the boundary (apply_bounded).
  push_role_writes = [
    "iam:CreateRole", "iam:UpdateRole", "iam:UpdateRoleDescription", "iam:UpdateAssumeRolePolicy",
    "iam:PutRolePermissionsBoundary", "iam:PutRolePolicy",
  ]
  # Tags grant nothing here (no policy reads aws:ResourceTag), and IAM puts no
  # iam:PermissionsBoundary in their request context, so they are not bounded.
  push_role_tagging = ["iam:TagRole", "iam:UntagRole"]

  kms_reads  = var.state_kms_key_arn == null ? [] : ["kms:Decrypt"]
  kms_writes = var.state_kms_key_arn == null ? [] : ["kms:Encrypt", "kms:GenerateDataKey"]

  plan_actions = concat(
    local.bucket_reads, ["s3:GetObject"], local.kms_reads, ["ecr-public:DescribeRegistries"], local.repository_reads,
    local.push_role_reads, ["iam:ListOpenIDConnectProviders", "iam:GetOpenIDConnectProvider"],
  )
  apply_actions = concat(
    local.plan_actions, ["s3:PutObject", "s3:DeleteObject"], local.kms_writes, local.repository_writes,
    local.push_role_writes, local.push_role_tagging,
  )
}

# What both roles read: the plan role's allow statements.
data "aws_iam_policy_document" "reads" {
  statement {
    sid       = "StateBucketRead"
    actions   = local.bucket_reads
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "StateAndLockObjectsRead"
    actions   = ["s3:GetObject"]
    resources = concat(local.state_object_arns, local.lock_object_arns)
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [var.state_kms_key_arn]
    content {
      sid       = "StateKeyDecrypt"
      actions   = local.kms_reads
      resources = [statement.value]
    }
  }

  statement {
    sid       = "EcrPublicRegistryRead"
    actions   = ["ecr-public:DescribeRegistries"]
    resources = [local.registry_arn]
  }

  statement {
    sid       = "EcrPublicRepositoryRead"
    actions   = local.repository_reads
    resources = [local.repository_arn]
  }

  statement {
    sid       = "PushRoleRead"
    actions   = local.push_role_reads
    resources = [local.push_role_arn]
  }

  # doctor --all looks for the account's GitHub provider. Listing supports no
  # resource-level permission: "*" is the only resource IAM accepts.
  statement {
    sid       = "OidcProvidersList"
    actions   = ["iam:ListOpenIDConnectProviders"]
    resources = ["*"]
  }

  statement {
    sid       = "OidcProviderRead"
    actions   = ["iam:GetOpenIDConnectProvider"]
    resources = [local.oidc_provider_arn]
  }
}

data "aws_iam_policy_document" "plan" {
  source_policy_documents = [data.aws_iam_policy_document.reads.json]

  # No write of any kind, the state lock included: plans and drift run with -lock=false.
  statement {
    sid         = "DenyEverythingElse"
    effect      = "Deny"
    not_actions = local.plan_actions
    resources   = ["*"]
  }
}

data "aws_iam_policy_document" "apply" {
  # Everything the plan role reads (an apply plans first, and output and verify read back).
  source_policy_documents = [data.aws_iam_policy_document.reads.json]

  statement {
    sid       = "StateAndLockObjectsWrite"
    actions   = ["s3:PutObject"]
    resources = concat(local.state_object_arns, local.lock_object_arns)
  }

  # Releasing the lock; the state objects themselves are never deleted.
  statement {
    sid       = "LockObjectsRelease"
    actions   = ["s3:DeleteObject"]
    resources = local.lock_object_arns
  }

  dynamic "statement" {
    for_each = var.state_kms_key_arn == null ? [] : [var.state_kms_key_arn]
    content {
      sid       = "StateKeyEncrypt"
      actions   = local.kms_writes
      resources = [statement.value]
    }
  }

  statement {
    sid       = "EcrPublicRepositoryWrite"
    actions   = local.repository_writes
    resources = [local.repository_arn]
  }

  statement {
    sid       = "PushRoleWrite"
    actions   = concat(local.push_role_writes, local.push_role_tagging)
    resources = [local.push_role_arn]
  }

  # The push role exists, gets a new policy or trust, or a boundary, only with
  # this unit's boundary on it: whatever its inline policy says, IAM grants no
  # more than the boundary. With no boundary in the request the key is absent,
  # and StringNotEquals then matches: denied as well.
  statement {
    sid       = "DenyThePushRoleWithoutItsBoundary"
    effect    = "Deny"
    actions   = local.push_role_writes
    resources = ["*"]

    condition {
      test     = "StringNotEquals"
      variable = "iam:PermissionsBoundary"
      values   = [local.push_boundary_arn]
    }
  }

  # Never the CI roles themselves nor the boundary, even if a name were reused.
  statement {
    sid       = "DenyTheCiRolesAndTheBoundary"
    effect    = "Deny"
    actions   = ["iam:*"]
    resources = concat(local.ci_role_arns, [local.push_boundary_arn])
  }

  statement {
    sid         = "DenyEverythingElse"
    effect      = "Deny"
    not_actions = local.apply_actions
    resources   = ["*"]
  }
}

# The push role's ceiling: the push policy of the github-actions-ecr-push module
# and nothing beyond it (test/infra/ci-roles-policies.test.ts proves that every
# call that policy allows is inside this boundary).
data "aws_iam_policy_document" "push_boundary" {
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
    resources = [local.repository_arn]
  }

  # The registry login: IAM cannot scope either action to a resource. As in the
  # push policy, the authorization token only through ECR Public's own region.
  statement {
    sid       = "BearerTokenForTheRegistryLogin"
    effect    = "Allow"
    actions   = ["sts:GetServiceBearerToken"]
    resources = ["*"]
  }

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
