locals {
  # The ECR Public repository API (CreateRepository, DescribeRepositories, ...)
  # is served only in us-east-1; the images are then pulled worldwide through
  # public.ecr.aws.
  ecr_public_api_region = "us-east-1"

  # ECR Public repository URIs have the form public.ecr.aws/<registry alias>/<repository name>;
  # the registry_alias output takes the alias from it.
  repository_uri_pattern = "^public\\.ecr\\.aws/([^/]+)/(.+)$"
}

data "aws_region" "current" {}

resource "aws_ecrpublic_repository" "this" {
  repository_name = var.repository_name
  force_destroy   = var.force_destroy

  catalog_data {
    description       = var.description
    operating_systems = var.operating_systems
    architectures     = var.architectures
    about_text        = var.about_text
    usage_text        = var.usage_text
    logo_image_blob   = var.logo_image_path == null ? null : filebase64(var.logo_image_path)
  }

  tags = var.tags

  lifecycle {
    precondition {
      condition     = data.aws_region.current.region == local.ecr_public_api_region
      error_message = "The AWS provider region is \"${data.aws_region.current.region}\", but ECR Public repositories can only be managed in \"${local.ecr_public_api_region}\". Configure the provider with region = \"${local.ecr_public_api_region}\"."
    }
  }
}

resource "aws_ecrpublic_repository_policy" "this" {
  count = var.repository_policy_json == null ? 0 : 1

  repository_name = aws_ecrpublic_repository.this.repository_name
  policy          = var.repository_policy_json
}
