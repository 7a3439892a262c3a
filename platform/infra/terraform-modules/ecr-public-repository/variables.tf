# Validation rules mirror what the ECR Public API (CreateRepository /
# PutRepositoryCatalogData / TagResource / SetRepositoryPolicy) and the AWS
# provider reject, so a bad input fails at plan time with a message that names
# the allowed form instead of failing half-way through an apply. Where the
# provider is stricter than the API, the provider's limit is used (a value the
# provider rejects can never reach the API).
#
# Text limits are counted in UTF-8 bytes because that is how the provider counts
# (Go len()). Terraform has no byte-length function, so the byte count is taken
# from the base64 encoding of the UTF-8 text: bytes = len(b64) * 3 / 4 - padding.

variable "repository_name" {
  description = "Name of the ECR Public repository, optionally with namespaces, e.g. \"caylent-solutions/devcontainer-base\". Changing it replaces the repository."
  type        = string
  nullable    = false

  validation {
    condition     = length(var.repository_name) >= 2 && length(var.repository_name) <= 205
    error_message = "repository_name must be 2 to 205 characters long."
  }

  validation {
    # Anchored on purpose: the provider's own check of this pattern is not
    # anchored, so it accepts any name that merely contains a valid substring.
    condition     = can(regex("^(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*$", var.repository_name))
    error_message = "repository_name must match (?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*: lowercase letters and digits, single '.', '_' or '-' between them, and '/' between namespace segments, e.g. \"caylent-solutions/devcontainer-base\"."
  }
}

variable "description" {
  description = "Short description shown in the Amazon ECR Public Gallery and in search results (catalog_data.description)."
  type        = string
  nullable    = false

  validation {
    condition     = length(base64encode(var.description)) * 3 / 4 - length(regexall("=", base64encode(var.description))) <= 1024
    error_message = "description must be at most 1024 bytes (UTF-8)."
  }
}

variable "operating_systems" {
  description = "Operating systems the images run on, as Gallery badge names: any of \"Linux\", \"Windows\"."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for os in var.operating_systems : contains(["Linux", "Windows"], os)])
    error_message = "operating_systems may contain only \"Linux\" and \"Windows\" (the ECR Public Gallery badge names, case-sensitive)."
  }

  validation {
    condition     = length(var.operating_systems) <= 50
    error_message = "operating_systems may have at most 50 entries."
  }

  validation {
    condition     = length(distinct(var.operating_systems)) == length(var.operating_systems)
    error_message = "operating_systems must not repeat a value (the provider stores them as a set)."
  }
}

variable "architectures" {
  description = "CPU architectures the images run on, as Gallery badge names: any of \"ARM\", \"ARM 64\", \"x86\", \"x86-64\"."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arch in var.architectures : contains(["ARM", "ARM 64", "x86", "x86-64"], arch)])
    error_message = "architectures may contain only \"ARM\", \"ARM 64\", \"x86\" and \"x86-64\" (the ECR Public Gallery badge names, case- and space-sensitive)."
  }

  validation {
    condition     = length(var.architectures) <= 50
    error_message = "architectures may have at most 50 entries."
  }

  validation {
    condition     = length(distinct(var.architectures)) == length(var.architectures)
    error_message = "architectures must not repeat a value (the provider stores them as a set)."
  }
}

variable "about_text" {
  description = "Markdown shown in the Gallery's \"About\" tab: what the image is. null leaves it unset."
  type        = string
  default     = null

  validation {
    condition     = var.about_text == null ? true : length(base64encode(var.about_text)) * 3 / 4 - length(regexall("=", base64encode(var.about_text))) <= 10240
    error_message = "about_text must be at most 10240 bytes (UTF-8): the AWS provider's limit (the ECR Public API itself allows 25600)."
  }
}

variable "usage_text" {
  description = "Markdown shown in the Gallery's \"Usage\" tab: how to pull and use the image. null leaves it unset."
  type        = string
  default     = null

  validation {
    condition     = var.usage_text == null ? true : length(base64encode(var.usage_text)) * 3 / 4 - length(regexall("=", base64encode(var.usage_text))) <= 10240
    error_message = "usage_text must be at most 10240 bytes (UTF-8): the AWS provider's limit (the ECR Public API itself allows 25600)."
  }
}

variable "logo_image_path" {
  description = "Path to the repository logo image (at most 512000 bytes), read with filebase64(). Relative paths resolve against Terraform's working directory, so pass an absolute path (from Terragrunt: \"$${get_terragrunt_dir()}/logo.png\"). null means no logo. The Gallery shows logos only for verified accounts."
  type        = string
  default     = null

  validation {
    condition     = var.logo_image_path == null ? true : try(fileexists(var.logo_image_path), false)
    error_message = "logo_image_path must be null or the path of an existing regular file (use an absolute path)."
  }

  validation {
    # 512000 bytes of image base64-encode to at most 682668 characters.
    condition     = var.logo_image_path == null ? true : try(length(filebase64(var.logo_image_path)) <= 682668, false)
    error_message = "logo_image_path must point to a file of at most 512000 bytes (the ECR Public API's logoImageBlob limit)."
  }
}

variable "tags" {
  description = "Tags for the repository. The provider's default_tags are added to these and count toward the API's limit of 50 tags per repository."
  type        = map(string)
  default     = {}
  nullable    = false

  validation {
    condition     = length(var.tags) <= 50
    error_message = "tags may have at most 50 entries (ECR Public's per-repository limit, default_tags included)."
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

variable "force_destroy" {
  description = "When true, destroying the repository also deletes the images in it. Keep false outside of disposable environments."
  type        = bool
  default     = false
  nullable    = false
}

variable "repository_policy_json" {
  description = "Repository policy as a JSON document (e.g. from jsonencode() or data.aws_iam_policy_document), for instance to let a CI role push images. null (the default) manages no policy."
  type        = string
  default     = null

  validation {
    condition     = var.repository_policy_json == null ? true : can(keys(jsondecode(var.repository_policy_json)))
    error_message = "repository_policy_json must be null or a JSON object (an IAM policy document)."
  }

  validation {
    condition     = var.repository_policy_json == null ? true : length(base64encode(var.repository_policy_json)) * 3 / 4 - length(regexall("=", base64encode(var.repository_policy_json))) <= 10240
    error_message = "repository_policy_json must be at most 10240 bytes (the ECR Public API's policyText limit)."
  }
}
