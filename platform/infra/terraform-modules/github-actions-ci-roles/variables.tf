# The inputs name what CI may touch. Every ARN the roles' policies contain is
# built from them and the account the operator applies with, so a policy can
# never name a resource of another account or a wildcard the inputs did not ask for.

variable "github_repository" {
  description = "GitHub repository whose workflows may assume the roles, as \"owner/repo\", spelled with the same case as on GitHub (IAM compares the token's claims case-sensitively)."
  type        = string
  nullable    = false

  validation {
    # Owner: GitHub's user and organization name rules; repository: 1 to 100
    # letters, digits, '.', '_' and '-', and not "." or "..".
    condition = (
      can(regex("^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/[A-Za-z0-9._-]{1,100}$", var.github_repository)) &&
      length(split("/", var.github_repository)[0]) <= 39 &&
      !contains([".", ".."], try(split("/", var.github_repository)[1], ""))
    )
    error_message = "github_repository must be \"owner/repo\": an owner of 1 to 39 letters, digits and single hyphens (not at either end), and a repository name of 1 to 100 letters, digits, '.', '_' and '-' (not \".\" or \"..\")."
  }
}

variable "github_branch" {
  description = "The default branch: its pushes run apply.yml, and the scheduled drift check runs on it. The apply role trusts apply.yml of this branch only; the plan role trusts runs on it."
  type        = string
  default     = "main"
  nullable    = false

  validation {
    # Git's branch name rules as far as IAM is concerned: no wildcard or policy
    # variable can reach a StringEquals value, and no full ref.
    condition     = can(regex("^[A-Za-z0-9._/+@-]{1,255}$", var.github_branch)) && !startswith(var.github_branch, "refs/") && !strcontains(var.github_branch, "..")
    error_message = "github_branch must be a branch name such as \"main\" or \"release/1.x\": letters, digits and . _ / + @ -, no \"..\" and no refs/ prefix."
  }
}

variable "production_environment" {
  description = "The GitHub environment whose approval gates every apply: the apply role trusts only jobs that run in it."
  type        = string
  default     = "production"
  nullable    = false

  validation {
    # GitHub environment names; ':' would be escaped as %3A in the subject, so it is refused rather than guessed.
    condition     = can(regex("^[A-Za-z0-9._-]{1,255}$", var.production_environment))
    error_message = "production_environment must be 1 to 255 letters, digits, '.', '_' and '-'."
  }
}

variable "apply_workflow_path" {
  description = "The workflow file whose jobs may assume the apply role, relative to the repository root (its job_workflow_ref is pinned to the default branch)."
  type        = string
  default     = ".github/workflows/apply.yml"
  nullable    = false

  validation {
    condition     = can(regex("^\\.github/workflows/[A-Za-z0-9._-]+\\.ya?ml$", var.apply_workflow_path))
    error_message = "apply_workflow_path must be a file directly under .github/workflows/ ending in .yml or .yaml."
  }
}

variable "existing_oidc_provider_arn" {
  description = "ARN of the account's existing GitHub OIDC identity provider (an account holds at most one per URL). null (the default) creates it in this unit, the only one that ever does."
  type        = string
  default     = null

  validation {
    condition     = var.existing_oidc_provider_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.existing_oidc_provider_arn))
    error_message = "existing_oidc_provider_arn must be null or arn:aws:iam::<12-digit account id>:oidc-provider/token.actions.githubusercontent.com."
  }
}

variable "state_bucket" {
  description = "The S3 bucket that holds the Terraform state (DEPLOY_STATE_BUCKET)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.state_bucket))
    error_message = "state_bucket must be an S3 bucket name: 3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit."
  }
}

variable "ci_units" {
  description = "The units CI plans and applies, as paths under the Terragrunt root (their state keys are <unit>/terraform.tfstate). This unit is not one of them."
  type        = list(string)
  nullable    = false

  validation {
    condition     = length(var.ci_units) > 0 && alltrue([for u in var.ci_units : can(regex("^[a-z0-9][a-z0-9_-]*(/[a-z0-9][a-z0-9_-]*)*$", u))])
    error_message = "ci_units must list at least one unit path such as \"us-east-1/ecr-public-repository\" (lowercase segments, no wildcard)."
  }
}

variable "state_kms_key_arn" {
  description = "ARN of the KMS key that encrypts the state objects (DEPLOY_STATE_KMS_KEY_ID, as a key ARN). null: SSE-S3, and the roles get no KMS permission."
  type        = string
  default     = null

  validation {
    condition     = var.state_kms_key_arn == null ? true : can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/(mrk-[0-9a-f]{32}|[0-9a-f]{8}(-[0-9a-f]{4}){3}-[0-9a-f]{12})$", var.state_kms_key_arn))
    error_message = "state_kms_key_arn must be null or a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>): the CI roles' permission names the key itself, so set DEPLOY_STATE_KMS_KEY_ID to the key's ARN, not its ID or an alias."
  }
}

variable "repository_name" {
  description = "The ECR Public repository the units manage (DEPLOY_REPOSITORY_NAME)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", var.repository_name)) && length(var.repository_name) >= 2 && length(var.repository_name) <= 205
    error_message = "repository_name must be an ECR Public repository name: 2 to 205 characters, lowercase segments separated by '/', with single '.', '_' or '-' inside a segment."
  }
}

variable "push_role_name" {
  description = "The push role the github-actions-ecr-push unit manages (DEPLOY_PUSH_ROLE_NAME): the only role the apply role may change."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.push_role_name))
    error_message = "push_role_name must be 1 to 64 characters: letters, digits and + = , . @ _ - (IAM role name rules)."
  }

  validation {
    # The apply role may change the push role: were it one of the CI roles, it could rewrite itself.
    condition     = !contains([lower(var.plan_role_name), lower(var.apply_role_name)], lower(var.push_role_name))
    error_message = "push_role_name must differ from plan_role_name and apply_role_name (IAM role names are case-insensitive)."
  }
}

variable "push_role_boundary_name" {
  description = "Name of the managed policy this unit creates as the push role's permissions boundary (DEPLOY_PUSH_ROLE_BOUNDARY_NAME)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,128}$", var.push_role_boundary_name))
    error_message = "push_role_boundary_name must be 1 to 128 characters: letters, digits and + = , . @ _ - (IAM policy name rules)."
  }
}

variable "plan_role_name" {
  description = "Name of the read-only role for pull-request plans and the drift check."
  type        = string
  default     = "github-actions-ci-plan"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.plan_role_name))
    error_message = "plan_role_name must be 1 to 64 characters: letters, digits and + = , . @ _ - (IAM role name rules)."
  }
}

variable "apply_role_name" {
  description = "Name of the role the production environment's apply job assumes."
  type        = string
  default     = "github-actions-ci-apply"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.apply_role_name))
    error_message = "apply_role_name must be 1 to 64 characters: letters, digits and + = , . @ _ - (IAM role name rules)."
  }
}

variable "max_session_duration" {
  description = "Longest session, in seconds, a workflow may request when it assumes either role (IAM allows 3600 to 43200)."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds from 3600 (1 hour) to 43200 (12 hours)."
  }
}

variable "tags" {
  description = "Tags for the roles, the boundary policy and the OIDC provider (the provider's default_tags are added)."
  type        = map(string)
  default     = {}
  nullable    = false
}
