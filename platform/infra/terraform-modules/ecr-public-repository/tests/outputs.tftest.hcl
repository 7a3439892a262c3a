# Outputs after an apply against the mock provider, with the values the ECR
# Public API returns for a created repository overridden to realistic ones.

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
}

run "reports_name_arn_uri_account_and_alias" {
  command = apply

  override_resource {
    target = aws_ecrpublic_repository.this
    values = {
      arn            = "arn:aws:ecr-public::123456789012:repository/caylent-solutions/devcontainer-base"
      registry_id    = "123456789012"
      repository_uri = "public.ecr.aws/c7x2k9q4/caylent-solutions/devcontainer-base"
    }
  }

  assert {
    condition     = output.repository_name == "caylent-solutions/devcontainer-base"
    error_message = "repository_name output is wrong."
  }

  assert {
    condition     = output.repository_arn == "arn:aws:ecr-public::123456789012:repository/caylent-solutions/devcontainer-base"
    error_message = "repository_arn output is wrong."
  }

  assert {
    condition     = output.repository_uri == "public.ecr.aws/c7x2k9q4/caylent-solutions/devcontainer-base"
    error_message = "repository_uri output is wrong."
  }

  assert {
    condition     = output.registry_id == "123456789012"
    error_message = "registry_id output is not the account id."
  }

  assert {
    condition     = output.registry_alias == "c7x2k9q4"
    error_message = "registry_alias was not derived from the repository URI."
  }

  assert {
    condition     = output.catalog_data.description == "Mirror of mcr.microsoft.com/devcontainers/base for global low-latency pulls"
    error_message = "catalog_data output does not report the configured description."
  }

  assert {
    condition     = output.catalog_data.architectures == tolist(["ARM 64", "x86-64"]) && output.catalog_data.operating_systems == tolist(["Linux"])
    error_message = "catalog_data output does not report the configured architectures and operating systems, sorted."
  }
}

run "rejects_a_repository_uri_it_cannot_take_the_alias_from" {
  # A state of its own, so the repository is created afresh and its URI is
  # first known during apply, as with the real API.
  command   = apply
  state_key = "unexpected_uri"

  override_resource {
    target = aws_ecrpublic_repository.this
    values = {
      repository_uri = "registry.example.com/caylent-solutions/devcontainer-base"
    }
  }

  expect_failures = [output.registry_alias]
}
