# One run per validation rule: each starts from valid inputs, breaks exactly one
# of them, and expects that input (and nothing else) to be rejected at plan time.
# The mock provider means no AWS account or credentials are involved.

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
  about_text        = "About the image."
  usage_text        = "How to pull the image."
}

# --- repository_name ---------------------------------------------------------

run "repository_name_rejects_uppercase" {
  # The provider's unanchored pattern accepts this name (it contains a valid
  # substring); the API does not.
  command = plan

  variables {
    repository_name = "Caylent-Solutions/devcontainer-base"
  }

  expect_failures = [var.repository_name]
}

run "repository_name_rejects_doubled_separator" {
  command = plan

  variables {
    repository_name = "caylent-solutions//devcontainer--base"
  }

  expect_failures = [var.repository_name]
}

run "repository_name_rejects_too_short" {
  command = plan

  variables {
    repository_name = "a"
  }

  expect_failures = [var.repository_name]
}

run "repository_name_rejects_too_long" {
  command = plan

  variables {
    # 206 characters that match the name pattern.
    repository_name = format("%0206d", 0)
  }

  expect_failures = [var.repository_name]
}

# --- catalog text -------------------------------------------------------------

run "description_rejects_too_long" {
  command = plan

  variables {
    description = format("%01025d", 0)
  }

  expect_failures = [var.description]
}

run "description_counts_bytes_not_characters" {
  # 513 characters but 1026 UTF-8 bytes: over the provider's 1024-byte limit.
  command = plan

  variables {
    description = join("", [for i in range(513) : "é"])
  }

  expect_failures = [var.description]
}

run "about_text_rejects_too_long" {
  command = plan

  variables {
    about_text = format("%010241d", 0)
  }

  expect_failures = [var.about_text]
}

run "usage_text_rejects_too_long" {
  command = plan

  variables {
    usage_text = format("%010241d", 0)
  }

  expect_failures = [var.usage_text]
}

# --- architectures and operating systems -------------------------------------

run "architectures_reject_unknown_badge" {
  command = plan

  variables {
    architectures = ["x86-64", "x86_64"]
  }

  expect_failures = [var.architectures]
}

run "architectures_reject_more_than_50" {
  command = plan

  variables {
    architectures = [for i in range(51) : "ARM"]
  }

  expect_failures = [var.architectures]
}

run "architectures_reject_duplicates" {
  command = plan

  variables {
    architectures = ["ARM 64", "ARM 64"]
  }

  expect_failures = [var.architectures]
}

run "operating_systems_reject_unknown_badge" {
  command = plan

  variables {
    operating_systems = ["linux"]
  }

  expect_failures = [var.operating_systems]
}

run "operating_systems_reject_more_than_50" {
  command = plan

  variables {
    operating_systems = [for i in range(51) : "Linux"]
  }

  expect_failures = [var.operating_systems]
}

run "operating_systems_reject_duplicates" {
  command = plan

  variables {
    operating_systems = ["Windows", "Windows"]
  }

  expect_failures = [var.operating_systems]
}

# --- tags ---------------------------------------------------------------------

run "tags_reject_more_than_50" {
  command = plan

  variables {
    tags = { for i in range(51) : "key${i}" => "value" }
  }

  expect_failures = [var.tags]
}

run "tags_reject_key_too_long" {
  command = plan

  variables {
    tags = { (format("%0129d", 0)) = "value" }
  }

  expect_failures = [var.tags]
}

run "tags_reject_reserved_aws_prefix" {
  command = plan

  variables {
    tags = { "AWS:owner" = "platform" }
  }

  expect_failures = [var.tags]
}

run "tags_reject_value_too_long" {
  command = plan

  variables {
    tags = { Owner = format("%0257d", 0) }
  }

  expect_failures = [var.tags]
}

run "tags_reject_disallowed_character" {
  command = plan

  variables {
    tags = { Owner = "platform#team" }
  }

  expect_failures = [var.tags]
}

# --- logo and policy ----------------------------------------------------------

run "logo_image_path_rejects_missing_file" {
  command = plan

  variables {
    logo_image_path = "tests/fixtures/does-not-exist.png"
  }

  expect_failures = [var.logo_image_path]
}

run "logo_image_path_rejects_directory" {
  command = plan

  variables {
    logo_image_path = "tests/fixtures"
  }

  expect_failures = [var.logo_image_path]
}

run "repository_policy_json_rejects_invalid_json" {
  command = plan

  variables {
    repository_policy_json = "{\"Version\": \"2012-10-17\""
  }

  expect_failures = [var.repository_policy_json]
}

run "repository_policy_json_rejects_non_object" {
  command = plan

  variables {
    repository_policy_json = "[]"
  }

  expect_failures = [var.repository_policy_json]
}

run "repository_policy_json_rejects_too_long" {
  command = plan

  variables {
    repository_policy_json = jsonencode({ Version = "2012-10-17", Statement = [], Padding = format("%010240d", 0) })
  }

  expect_failures = [var.repository_policy_json]
}

# --- provider region ----------------------------------------------------------

run "rejects_provider_region_other_than_us_east_1" {
  command = plan

  override_data {
    target = data.aws_region.current
    values = {
      region = "eu-west-1"
    }
  }

  expect_failures = [aws_ecrpublic_repository.this]
}
