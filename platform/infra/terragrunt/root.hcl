# Root Terragrunt configuration, included by every unit below this folder.
#
# Everything environment-specific comes from the environment that the npm tasks
# prepare, so the same HCL runs against real AWS and against the local sandbox.
# Required variables are read without a default: if one is missing, Terragrunt
# stops with "EnvVarNotFoundError: Required environment variable ...".
#
# The names are the tasks' own settings (see .env.example), which the tasks validate
# and then hand to Terragrunt explicitly:
#
#   DEPLOY_STATE_BUCKET      required  S3 bucket that holds the Terraform state. The
#                                      tasks create and converge it; Terragrunt never does.
#   DEPLOY_STATE_REGION      required  Region of that bucket.
#   DEPLOY_STATE_KMS_KEY_ID  optional  KMS key (ID, ARN or alias) that encrypts the state
#                                      objects. Default "" = SSE-S3 (AES256).
#   DEPLOY_ECR_REGION        required  Region of the AWS provider. ECR Public repositories
#                                      exist only in us-east-1 (the module checks this).
#   DEPLOY_PROJECT_NAME      required  Name of the project that manages the infrastructure
#                                      (the tasks pass package.json's name): the
#                                      "Repository" default tag.
#   AWS_ENDPOINT_URL_S3      optional  Sandbox only: S3 endpoint for the state backend.
#                                      Default "" = real AWS, and then nothing
#                                      sandbox-specific is generated.
#   AWS_ENDPOINT_URL_STS     optional  Sandbox only: STS endpoint for the state backend
#                                      (used only together with AWS_ENDPOINT_URL_S3).
#   DEPLOY_S3_PATH_STYLE     optional  "true" or "false" (default): path-style S3 addressing
#                                      for the state backend (used only together with
#                                      AWS_ENDPOINT_URL_S3).
#
# The AWS provider reads AWS_ENDPOINT_URL_ECR_PUBLIC, AWS_ENDPOINT_URL_STS,
# AWS_ENDPOINT_URL_IAM (sandbox only, like the others; units that manage IAM) and the
# credentials (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN) from the
# environment itself, so none of them appears in the generated provider.tf. (The S3
# backend reads AWS_ENDPOINT_URL_S3/_STS too; writing them into backend.tf as well
# keeps the sandbox's state location visible there.) There is no `profile` anywhere:
# the tasks resolve SSO credentials and pass explicit keys.

locals {
  state_bucket     = get_env("DEPLOY_STATE_BUCKET")
  state_region     = get_env("DEPLOY_STATE_REGION")
  state_kms_key_id = get_env("DEPLOY_STATE_KMS_KEY_ID", "")
  aws_region       = get_env("DEPLOY_ECR_REGION")
  project_name     = get_env("DEPLOY_PROJECT_NAME")

  s3_endpoint       = get_env("AWS_ENDPOINT_URL_S3", "")
  sts_endpoint      = get_env("AWS_ENDPOINT_URL_STS", "")
  s3_use_path_style = tobool(get_env("DEPLOY_S3_PATH_STYLE", "false"))

  # Sandbox-only backend settings: empty unless AWS_ENDPOINT_URL_S3 is set.
  # Built with `for` expressions (which yield objects of any shape) rather than
  # conditionals, which would need both branches to have the same type.
  backend_endpoints = {
    for service, url in { s3 = local.s3_endpoint, sts = local.sts_endpoint } :
    service => url if local.s3_endpoint != "" && url != ""
  }
  backend_sandbox_settings = merge(
    { for key, value in { endpoints = local.backend_endpoints } : key => value if length(value) > 0 },
    { for key, value in { use_path_style = true } : key => value if local.s3_endpoint != "" && local.s3_use_path_style },
  )

  default_tags = {
    ManagedBy  = "terragrunt"
    Repository = local.project_name
    Unit       = path_relative_to_include()
  }
}

remote_state {
  backend = "s3"

  generate = {
    path      = "backend.tf"
    if_exists = "overwrite_terragrunt"
  }

  config = merge(
    {
      bucket = local.state_bucket
      key    = "${path_relative_to_include()}/terraform.tfstate"
      region = local.state_region

      # Server-side encryption of the state objects (SSE-S3, or SSE-KMS when
      # DEPLOY_STATE_KMS_KEY_ID is set), and Terraform's native S3 lock file
      # (no DynamoDB table: DynamoDB locking is deprecated).
      encrypt      = true
      use_lockfile = true

      # Terragrunt-only setting (not written to backend.tf): the tasks own the
      # bucket, so Terragrunt must never rewrite its settings. Terragrunt only
      # creates or updates the bucket when run with --backend-bootstrap (or
      # `terragrunt backend bootstrap`), which the tasks never do.
      disable_bucket_update = true
    },
    { for key, value in { kms_key_id = local.state_kms_key_id } : key => value if value != "" },
    local.backend_sandbox_settings,
  )
}

generate "provider" {
  path      = "provider.tf"
  if_exists = "overwrite_terragrunt"

  # jsonencode() renders valid HCL expressions for strings and maps. The
  # replace() calls escape "${" and "%{" so that a value can never be read as
  # a Terraform template sequence in the generated file.
  contents = <<-EOF
    provider "aws" {
      region = ${jsonencode(local.aws_region)}

      default_tags {
        tags = ${replace(replace(jsonencode(local.default_tags), "$${", "$$${"), "%%{", "%%%{")}
      }
    }
  EOF
}
