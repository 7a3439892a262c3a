# The trust and permission policies exactly as IAM will receive them.
#
# aws_iam_policy_document is rendered inside the provider without calling AWS,
# but a mock provider would return random text for it, so these runs use the
# real provider, configured so that it cannot reach AWS: placeholder keys, no
# account lookup or credential check, the IAM and STS endpoints on a closed
# local port (a call would fail the run rather than leave the machine), and a
# fixture profile, so that the machine's AWS_PROFILE and ~/.aws are never read.
# Every run is a plan; the OIDC provider's ARN, unknown until apply, is overridden.

provider "aws" {
  region                      = "us-east-1"
  access_key                  = "placeholder"
  secret_key                  = "placeholder"
  profile                     = "default"
  shared_config_files         = ["tests/fixtures/aws-config"]
  shared_credentials_files    = ["tests/fixtures/aws-config"]
  skip_credentials_validation = true
  skip_requesting_account_id  = true
  skip_metadata_api_check     = true
  max_retries                 = 1

  endpoints {
    iam = "http://127.0.0.1:9"
    sts = "http://127.0.0.1:9"
  }
}

override_resource {
  target          = aws_iam_openid_connect_provider.github
  override_during = plan
  values = {
    arn = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
  }
}

variables {
  github_repository         = "caylent-solutions/devcontainer-ecr"
  repository_arn            = "arn:aws:ecr-public::123456789012:repository/caylent-solutions/devcontainer-base"
  permissions_boundary_name = "github-actions-ecr-push-boundary"
}

run "trust_allows_only_the_branch_through_the_created_provider" {
  # github_branch is left to its default, "main".
  command = plan

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1
    error_message = "Without existing_oidc_provider_arn the module must create the GitHub OIDC provider."
  }

  assert {
    condition     = aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "The OIDC provider must be GitHub's issuer with the single audience sts.amazonaws.com."
  }

  assert {
    condition     = jsondecode(aws_iam_role.this.assume_role_policy) == jsondecode(data.aws_iam_policy_document.trust.json)
    error_message = "The role's trust policy is not the trust document."
  }

  assert {
    condition = jsondecode(data.aws_iam_policy_document.trust.json).Statement == [{
      Sid       = "GitHubActionsBranch"
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = "repo:caylent-solutions/devcontainer-ecr:ref:refs/heads/main"
        }
      }
    }]
    error_message = "The trust policy must have exactly one statement: sts:AssumeRoleWithWebIdentity by the created provider, with StringEquals on aud = sts.amazonaws.com and sub = repo:caylent-solutions/devcontainer-ecr:ref:refs/heads/main. It is: ${data.aws_iam_policy_document.trust.json}"
  }

  assert {
    condition     = output.oidc_provider_arn == "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com"
    error_message = "oidc_provider_arn output is not the created provider's ARN."
  }

  assert {
    condition     = output.trust_subject == "repo:caylent-solutions/devcontainer-ecr:ref:refs/heads/main"
    error_message = "trust_subject output is wrong."
  }
}

run "trust_uses_the_existing_provider_without_creating_one" {
  command = plan

  variables {
    existing_oidc_provider_arn = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com"
    github_branch              = "release/v2"
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0
    error_message = "With existing_oidc_provider_arn the module must not create an OIDC provider."
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Principal == { Federated = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com" }
    error_message = "The trust policy must name the given provider ARN as its only principal. It is: ${data.aws_iam_policy_document.trust.json}"
  }

  assert {
    condition     = jsondecode(data.aws_iam_policy_document.trust.json).Statement[0].Condition.StringEquals["token.actions.githubusercontent.com:sub"] == "repo:caylent-solutions/devcontainer-ecr:ref:refs/heads/release/v2"
    error_message = "The trust policy's subject does not follow github_branch."
  }

  assert {
    condition     = output.oidc_provider_arn == var.existing_oidc_provider_arn
    error_message = "oidc_provider_arn output is not the given provider's ARN."
  }
}

run "push_policy_grants_only_push_on_the_repository_and_login" {
  command = plan

  assert {
    condition     = jsondecode(aws_iam_role_policy.push.policy) == jsondecode(data.aws_iam_policy_document.push.json) && aws_iam_role_policy.push.role == aws_iam_role.this.name
    error_message = "The role's inline policy is not the push document, or is not attached to the role."
  }

  assert {
    condition     = length(jsondecode(data.aws_iam_policy_document.push.json).Statement) == 3
    error_message = "The push policy must have exactly three statements. It is: ${data.aws_iam_policy_document.push.json}"
  }

  assert {
    # The provider renders the actions as a set, in no fixed order: compare them sorted.
    condition = merge(jsondecode(data.aws_iam_policy_document.push.json).Statement[0], { Action = sort(jsondecode(data.aws_iam_policy_document.push.json).Statement[0].Action) }) == {
      Sid    = "PushImagesToTheRepository"
      Effect = "Allow"
      Action = tolist([
        "ecr-public:BatchCheckLayerAvailability",
        "ecr-public:CompleteLayerUpload",
        "ecr-public:InitiateLayerUpload",
        "ecr-public:PutImage",
        "ecr-public:UploadLayerPart",
      ])
      Resource = "arn:aws:ecr-public::123456789012:repository/caylent-solutions/devcontainer-base"
    }
    error_message = "The first statement must allow exactly the five layer and image push actions, on the repository ARN only. It is: ${data.aws_iam_policy_document.push.json}"
  }

  assert {
    condition = jsondecode(data.aws_iam_policy_document.push.json).Statement[1] == {
      Sid      = "BearerTokenForTheRegistryLogin"
      Effect   = "Allow"
      Action   = "sts:GetServiceBearerToken"
      Resource = "*"
    }
    error_message = "The second statement must allow only sts:GetServiceBearerToken, with no guessed service-name condition. It is: ${data.aws_iam_policy_document.push.json}"
  }

  assert {
    condition = jsondecode(data.aws_iam_policy_document.push.json).Statement[2] == {
      Sid       = "LogInToTheRegistry"
      Effect    = "Allow"
      Action    = "ecr-public:GetAuthorizationToken"
      Resource  = "*"
      Condition = { StringEquals = { "aws:RequestedRegion" = "us-east-1" } }
    }
    error_message = "The third statement must allow only ecr-public:GetAuthorizationToken, in us-east-1 only. It is: ${data.aws_iam_policy_document.push.json}"
  }
}

run "role_is_bounded_by_the_ci_roles_boundary" {
  command = plan

  variables {
    repository_arn            = "arn:aws-us-gov:ecr-public::210987654321:repository/mirror"
    permissions_boundary_name = "mirror-push-ceiling"
  }

  assert {
    condition     = aws_iam_role.this.permissions_boundary == "arn:aws-us-gov:iam::210987654321:policy/mirror-push-ceiling" && output.permissions_boundary_arn == aws_iam_role.this.permissions_boundary
    error_message = "The role must carry the named boundary of the repository's account and partition. It is: ${coalesce(aws_iam_role.this.permissions_boundary, "none")}"
  }
}

run "role_has_the_given_name_session_and_tags" {
  command = plan

  variables {
    role_name            = "mirror-push"
    max_session_duration = 7200
    tags                 = { Component = "devcontainer-mirror" }
  }

  assert {
    condition     = aws_iam_role.this.name == "mirror-push" && output.role_name == "mirror-push"
    error_message = "The role, and the role_name output, must carry role_name."
  }

  assert {
    condition     = aws_iam_role.this.max_session_duration == 7200
    error_message = "The role's max_session_duration is not the given one."
  }

  assert {
    condition     = aws_iam_role.this.tags == tomap({ Component = "devcontainer-mirror" }) && aws_iam_openid_connect_provider.github[0].tags == tomap({ Component = "devcontainer-mirror" })
    error_message = "The role and the OIDC provider must carry the given tags."
  }
}

run "outputs_report_the_role" {
  command = plan

  override_resource {
    target          = aws_iam_role.this
    override_during = plan
    values = {
      arn = "arn:aws:iam::123456789012:role/github-actions-ecr-push"
    }
  }

  assert {
    condition     = output.role_arn == "arn:aws:iam::123456789012:role/github-actions-ecr-push"
    error_message = "role_arn output is not the role's ARN."
  }

  assert {
    condition     = output.role_name == "github-actions-ecr-push" && aws_iam_role.this.max_session_duration == 3600
    error_message = "The role must default to the name github-actions-ecr-push and a one-hour session."
  }
}
