# The trust and permission documents exactly as IAM will receive them.
#
# aws_iam_policy_document is rendered inside the provider without calling AWS,
# but a mock provider would return random text for it, so these runs use the
# real provider, configured so that it cannot reach AWS: placeholder keys, no
# account lookup or credential check, the IAM and STS endpoints on a closed
# local port (a call would fail the run rather than leave the machine), and a
# fixture profile, so that the machine's AWS_PROFILE and ~/.aws are never read.
# The caller's account is overridden; every run is a plan. What each call is
# allowed or denied is judged by an IAM policy evaluator in
# test/infra/ci-roles-policies.test.ts; these runs pin the documents' shape.

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

override_data {
  target = data.aws_caller_identity.current
  values = {
    account_id = "123456789012"
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
  github_repository       = "caylent-solutions/devcontainer-base"
  state_bucket            = "caylent-solutions-devcontainer-terraform-state"
  ci_units                = ["us-east-1/ecr-public-repository", "us-east-1/github-actions-ecr-push"]
  repository_name         = "caylent-solutions/devcontainer-base"
  push_role_name          = "github-actions-ecr-push"
  push_role_boundary_name = "github-actions-ecr-push-boundary"
}

run "plan_role_trusts_pull_requests_and_the_default_branch_only" {
  command = plan

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 1 && aws_iam_openid_connect_provider.github[0].url == "https://token.actions.githubusercontent.com" && aws_iam_openid_connect_provider.github[0].client_id_list == toset(["sts.amazonaws.com"])
    error_message = "Without existing_oidc_provider_arn the unit must create GitHub's provider, with the single audience sts.amazonaws.com."
  }

  assert {
    condition = jsondecode(aws_iam_role.plan.assume_role_policy).Statement == [{
      Sid       = "PullRequestsAndTheDefaultBranch"
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud" = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub" = [
            "repo:caylent-solutions/devcontainer-base:pull_request",
            "repo:caylent-solutions/devcontainer-base:ref:refs/heads/main",
          ]
        }
      }
    }]
    error_message = "The plan role must trust exactly the pull_request and ref:refs/heads/main subjects, with StringEquals. It is: ${aws_iam_role.plan.assume_role_policy}"
  }
}

run "apply_role_trusts_production_and_apply_yml_on_the_default_branch_only" {
  command = plan

  variables {
    existing_oidc_provider_arn = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com"
    github_branch              = "trunk"
  }

  assert {
    condition     = length(aws_iam_openid_connect_provider.github) == 0
    error_message = "With existing_oidc_provider_arn the unit must not create a provider."
  }

  assert {
    condition = jsondecode(aws_iam_role.apply.assume_role_policy).Statement == [{
      Sid       = "TheProductionEnvironmentOfApplyOnTheDefaultBranch"
      Effect    = "Allow"
      Action    = "sts:AssumeRoleWithWebIdentity"
      Principal = { Federated = "arn:aws:iam::210987654321:oidc-provider/token.actions.githubusercontent.com" }
      Condition = {
        StringEquals = {
          "token.actions.githubusercontent.com:aud"              = "sts.amazonaws.com"
          "token.actions.githubusercontent.com:sub"              = "repo:caylent-solutions/devcontainer-base:environment:production"
          "token.actions.githubusercontent.com:job_workflow_ref" = "caylent-solutions/devcontainer-base/.github/workflows/apply.yml@refs/heads/trunk"
        }
      }
    }]
    error_message = "The apply role must trust only the production environment of apply.yml on the default branch. It is: ${aws_iam_role.apply.assume_role_policy}"
  }
}

run "plan_role_reads_only_and_denies_everything_else" {
  command = plan

  assert {
    condition = alltrue([
      for s in jsondecode(aws_iam_role_policy.plan.policy).Statement :
      alltrue([for a in flatten([s.Action]) : can(regex("^(s3:Get|s3:List|ecr-public:(Describe|Get|List)|iam:(Get|List))", a))])
      if s.Effect == "Allow"
    ])
    error_message = "Every action the plan role is allowed must be a read. It is: ${aws_iam_role_policy.plan.policy}"
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.plan.policy).Statement : s.Sid if s.Effect == "Deny"] == ["DenyEverythingElse"] && [for s in jsondecode(aws_iam_role_policy.plan.policy).Statement : s.Resource if s.Effect == "Deny"] == ["*"]
    error_message = "The plan role's policy must end with one Deny of every action it does not list. It is: ${aws_iam_role_policy.plan.policy}"
  }

  assert {
    condition     = !strcontains(aws_iam_role_policy.plan.policy, "kms:")
    error_message = "Without a KMS key the roles get no KMS permission."
  }
}

run "roles_touch_only_the_resources_the_inputs_name" {
  command = plan

  variables {
    state_kms_key_arn = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"
  }

  assert {
    condition = toset(flatten([
      for s in jsondecode(aws_iam_role_policy.apply.policy).Statement : flatten([s.Resource]) if s.Effect == "Allow"
      ])) == toset([
      "arn:aws:s3:::caylent-solutions-devcontainer-terraform-state",
      "arn:aws:s3:::caylent-solutions-devcontainer-terraform-state/us-east-1/ecr-public-repository/terraform.tfstate",
      "arn:aws:s3:::caylent-solutions-devcontainer-terraform-state/us-east-1/ecr-public-repository/terraform.tfstate.tflock",
      "arn:aws:s3:::caylent-solutions-devcontainer-terraform-state/us-east-1/github-actions-ecr-push/terraform.tfstate",
      "arn:aws:s3:::caylent-solutions-devcontainer-terraform-state/us-east-1/github-actions-ecr-push/terraform.tfstate.tflock",
      "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab",
      "arn:aws:ecr-public::123456789012:registry/123456789012",
      "arn:aws:ecr-public::123456789012:repository/caylent-solutions/devcontainer-base",
      "arn:aws:iam::123456789012:role/github-actions-ecr-push",
      "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com",
      "*",
    ])
    error_message = "The apply role may reach the state objects of the CI units, the key, the registry, the repository, the push role and the provider, and nothing else. It is: ${aws_iam_role_policy.apply.policy}"
  }

  assert {
    condition = [
      for s in jsondecode(aws_iam_role_policy.apply.policy).Statement : flatten([s.Action]) if s.Effect == "Allow" && contains(flatten([s.Resource]), "*")
    ] == [["iam:ListOpenIDConnectProviders"]]
    error_message = "Only the listing of OIDC providers, which IAM cannot scope, may be on \"*\". It is: ${aws_iam_role_policy.apply.policy}"
  }

  assert {
    condition     = strcontains(aws_iam_role_policy.plan.policy, "kms:Decrypt") && !strcontains(aws_iam_role_policy.plan.policy, "kms:GenerateDataKey") && strcontains(aws_iam_role_policy.apply.policy, "kms:GenerateDataKey")
    error_message = "With a KMS key the plan role may decrypt and the apply role also encrypt."
  }
}

run "the_boundary_caps_the_push_role_at_pushing" {
  command = plan

  assert {
    condition     = aws_iam_policy.push_boundary.name == "github-actions-ecr-push-boundary"
    error_message = "The boundary must carry push_role_boundary_name, which the push-role unit names."
  }

  assert {
    # sort() returns a list: compare it with a list.
    condition = sort(flatten([for s in jsondecode(aws_iam_policy.push_boundary.policy).Statement : flatten([s.Action])])) == tolist([
      "ecr-public:BatchCheckLayerAvailability",
      "ecr-public:CompleteLayerUpload",
      "ecr-public:GetAuthorizationToken",
      "ecr-public:InitiateLayerUpload",
      "ecr-public:PutImage",
      "ecr-public:UploadLayerPart",
      "sts:GetServiceBearerToken",
    ])
    error_message = "The boundary must allow the push and the registry login and nothing else. It is: ${aws_iam_policy.push_boundary.policy}"
  }

  assert {
    condition     = [for s in jsondecode(aws_iam_role_policy.apply.policy).Statement : s.Condition.StringNotEquals["iam:PermissionsBoundary"] if s.Sid == "DenyThePushRoleWithoutItsBoundary"] == ["arn:aws:iam::123456789012:policy/github-actions-ecr-push-boundary"]
    error_message = "The apply role must be denied every write to the push role that lacks this boundary. It is: ${aws_iam_role_policy.apply.policy}"
  }
}
