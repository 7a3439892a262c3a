# Validation rules mirror what GitHub, git and IAM accept, so a bad input fails
# at plan time with a message that names the allowed form, instead of creating a
# role whose trust can never match a token (or failing half-way through an apply).

variable "github_repository" {
  description = "GitHub repository whose workflows may assume the role, as \"owner/repo\", spelled with the same case as on GitHub (IAM compares the token's subject case-sensitively)."
  type        = string
  nullable    = false

  validation {
    # Owner: GitHub's user and organization name rules (1 to 39 characters,
    # letters, digits and single hyphens, no hyphen at either end).
    condition     = can(regex("^[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*/", var.github_repository)) && length(split("/", var.github_repository)[0]) <= 39
    error_message = "github_repository must start with an owner of 1 to 39 letters, digits and single hyphens (not at either end), followed by \"/\", e.g. \"caylent-solutions/devcontainer-ecr\"."
  }

  validation {
    # Repository: 1 to 100 letters, digits, '.', '_' and '-', and not "." or "..".
    condition     = can(regex("^[^/]+/[A-Za-z0-9._-]{1,100}$", var.github_repository)) && !contains([".", ".."], try(split("/", var.github_repository)[1], ""))
    error_message = "github_repository must end with \"/\" and a repository name of 1 to 100 letters, digits, '.', '_' and '-' (not \".\" or \"..\")."
  }
}

variable "github_branch" {
  description = "Branch whose workflow runs may assume the role, as a name without refs/heads/, e.g. \"main\"."
  type        = string
  default     = "main"
  nullable    = false

  validation {
    # git check-ref-format: no control characters, space, ~ ^ : ? * [ or \.
    condition     = can(regex("^[^\\x00-\\x20\\x7f~^:?*\\[\\\\]+$", var.github_branch))
    error_message = "github_branch must be non-empty and must not contain spaces, control characters or any of ~ ^ : ? * [ \\ (git ref name rules)."
  }

  validation {
    # git check-ref-format --branch: no "..", "@{" or "//", no '/' at either end,
    # no '-' or '.' at the start, no '.' at the end, no path component that
    # starts with '.' or ends with ".lock", and not "@" alone.
    condition = (
      !strcontains(var.github_branch, "..") && !strcontains(var.github_branch, "@{") &&
      !startswith(var.github_branch, "-") && !endswith(var.github_branch, ".") && var.github_branch != "@" &&
      alltrue([for part in split("/", var.github_branch) : part != "" && !startswith(part, ".") && !endswith(part, ".lock")])
    )
    error_message = "github_branch must be a valid git branch name: no \"..\", \"@{\" or \"//\", no '/' at the start or end, no '-' or '.' at the start, no '.' at the end, no path component starting with '.' or ending in \".lock\", and not \"@\"."
  }

  validation {
    condition     = !startswith(var.github_branch, "refs/")
    error_message = "github_branch must be the branch name alone (e.g. \"main\"), not a full ref: the role's subject adds \"refs/heads/\" itself."
  }

  validation {
    # IAM would read a '$' followed by '{' in a condition value as the start of
    # a policy variable.
    condition     = !can(regex("\\$\\{", var.github_branch))
    error_message = "github_branch must not contain '$' followed by '{': IAM reads that as the start of a policy variable, so the trust would not match the branch."
  }
}

variable "repository_arn" {
  description = "ARN of the ECR Public repository the role may push to (the ecr-public-repository module's repository_arn output)."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:ecr-public::[0-9]{12}:repository/(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", var.repository_arn))
    error_message = "repository_arn must be an ECR Public repository ARN: arn:aws:ecr-public::<12-digit account id>:repository/<name>, e.g. \"arn:aws:ecr-public::123456789012:repository/caylent-solutions/devcontainer-base\"."
  }
}

variable "existing_oidc_provider_arn" {
  description = "ARN of the account's existing GitHub OIDC identity provider (an account holds at most one per URL). null (the default) creates the provider in this module."
  type        = string
  default     = null

  validation {
    condition     = var.existing_oidc_provider_arn == null ? true : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/token\\.actions\\.githubusercontent\\.com$", var.existing_oidc_provider_arn))
    error_message = "existing_oidc_provider_arn must be null or arn:aws:iam::<12-digit account id>:oidc-provider/token.actions.githubusercontent.com."
  }
}

variable "permissions_boundary_name" {
  description = "Name of the managed policy that bounds the role (DEPLOY_PUSH_ROLE_BOUNDARY_NAME), in the repository's account: the github-actions-ci-roles unit creates it, so apply that unit first."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,128}$", var.permissions_boundary_name))
    error_message = "permissions_boundary_name must be 1 to 128 characters: letters, digits and + = , . @ _ - (IAM policy name rules)."
  }
}

variable "role_name" {
  description = "Name of the IAM role. Changing it replaces the role, and the workflow's role ARN with it."
  type        = string
  default     = "github-actions-ecr-push"
  nullable    = false

  validation {
    condition     = can(regex("^[A-Za-z0-9+=,.@_-]{1,64}$", var.role_name))
    error_message = "role_name must be 1 to 64 characters: letters, digits and + = , . @ _ - (IAM role name rules)."
  }
}

variable "max_session_duration" {
  description = "Longest session, in seconds, the workflow may request when it assumes the role (IAM allows 3600 to 43200)."
  type        = number
  default     = 3600
  nullable    = false

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200 && floor(var.max_session_duration) == var.max_session_duration
    error_message = "max_session_duration must be a whole number of seconds from 3600 (1 hour) to 43200 (12 hours)."
  }
}

variable "tags" {
  description = "Tags for the role and the OIDC provider. The provider's default_tags are added to these and count toward IAM's limit of 50 tags per resource."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(var.tags) <= 50
    error_message = "tags may have at most 50 entries (IAM's per-resource limit, default_tags included)."
  }

  validation {
    condition     = alltrue([for key in keys(var.tags) : length(key) >= 1 && length(key) <= 128 && !startswith(lower(key), "aws:")])
    error_message = "Each tag key must be 1 to 128 characters and must not start with the reserved prefix \"aws:\"."
  }

  validation {
    condition     = alltrue([for value in values(var.tags) : length(value) <= 256])
    error_message = "Each tag value must be at most 256 characters."
  }

  validation {
    condition     = alltrue([for key, value in var.tags : can(regex("^[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*$", "${key}${value}"))])
    error_message = "Tag keys and values may contain only Unicode letters, digits, spaces and the characters _ . : / = + - @ (the AWS tagging character set)."
  }
}
