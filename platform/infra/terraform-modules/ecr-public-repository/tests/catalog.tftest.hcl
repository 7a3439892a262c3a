# Valid inputs: the plan carries the catalog data, tags and policy as given.

mock_provider "aws" {
  mock_data "aws_region" {
    defaults = {
      region = "us-east-1"
    }
  }
}

variables {
  repository_name   = "caylent-solutions/devcontainer-base"
  description       = "Mirror of mcr.microsoft.com/devcontainers/base for global low-latency pulls"
  operating_systems = ["Linux"]
  architectures     = ["x86-64", "ARM 64"]
  about_text        = "## devcontainer-base\n\nA mirror of `mcr.microsoft.com/devcontainers/base`."
  usage_text        = "```sh\ndocker pull public.ecr.aws/<alias>/caylent-solutions/devcontainer-base:latest\n```"
  tags              = { Component = "devcontainer-mirror" }
}

run "plans_the_brief_catalog_data" {
  command = plan

  assert {
    condition     = aws_ecrpublic_repository.this.repository_name == "caylent-solutions/devcontainer-base"
    error_message = "The planned repository name is not the configured one."
  }

  assert {
    condition     = aws_ecrpublic_repository.this.catalog_data[0].description == "Mirror of mcr.microsoft.com/devcontainers/base for global low-latency pulls"
    error_message = "The planned catalog description is not the configured one."
  }

  assert {
    condition     = aws_ecrpublic_repository.this.catalog_data[0].operating_systems == toset(["Linux"])
    error_message = "The planned operating systems are not [\"Linux\"]."
  }

  assert {
    condition     = aws_ecrpublic_repository.this.catalog_data[0].architectures == toset(["x86-64", "ARM 64"])
    error_message = "The planned architectures are not [\"x86-64\", \"ARM 64\"]."
  }

  assert {
    condition     = aws_ecrpublic_repository.this.catalog_data[0].about_text == var.about_text
    error_message = "The planned about text is not the configured one."
  }

  assert {
    condition     = aws_ecrpublic_repository.this.catalog_data[0].usage_text == var.usage_text
    error_message = "The planned usage text is not the configured one."
  }

  assert {
    condition     = aws_ecrpublic_repository.this.tags == tomap({ Component = "devcontainer-mirror" })
    error_message = "The planned tags are not the configured ones."
  }

  assert {
    condition     = aws_ecrpublic_repository.this.force_destroy == false
    error_message = "force_destroy must default to false."
  }

  assert {
    condition     = length(aws_ecrpublic_repository_policy.this) == 0
    error_message = "No repository policy may be managed when repository_policy_json is null."
  }
}

run "reads_the_logo_from_the_given_file" {
  command = plan

  variables {
    logo_image_path = "tests/fixtures/logo.png"
  }

  assert {
    condition     = aws_ecrpublic_repository.this.catalog_data[0].logo_image_blob == filebase64("tests/fixtures/logo.png")
    error_message = "The planned logo is not the base64 content of the given file."
  }
}

run "manages_the_policy_when_given" {
  command = plan

  variables {
    repository_policy_json = jsonencode({
      Version = "2012-10-17"
      Statement = [{
        Sid       = "AllowCiPush"
        Effect    = "Allow"
        Principal = { AWS = "arn:aws:iam::123456789012:role/ci-push" }
        Action    = ["ecr-public:BatchCheckLayerAvailability", "ecr-public:PutImage"]
      }]
    })
  }

  assert {
    condition     = length(aws_ecrpublic_repository_policy.this) == 1
    error_message = "A repository policy must be managed when repository_policy_json is set."
  }

  assert {
    condition     = aws_ecrpublic_repository_policy.this[0].policy == var.repository_policy_json
    error_message = "The planned repository policy is not the given document."
  }

  assert {
    condition     = aws_ecrpublic_repository_policy.this[0].repository_name == "caylent-solutions/devcontainer-base"
    error_message = "The policy is not attached to the module's repository."
  }
}
