output "role_arn" {
  description = "ARN of the role the workflow assumes (role-to-assume of aws-actions/configure-aws-credentials)."
  value       = aws_iam_role.this.arn
}

output "role_name" {
  description = "Name of the role."
  value       = aws_iam_role.this.name
}

output "oidc_provider_arn" {
  description = "ARN of the GitHub OIDC identity provider the role trusts: the one this module created, or existing_oidc_provider_arn."
  value       = local.oidc_provider_arn
}

output "trust_subject" {
  description = "The only token subject (sub claim) the role trusts: repo:<owner>/<repo>:ref:refs/heads/<branch>."
  value       = local.trust_subject
}

output "permissions_boundary_arn" {
  description = "ARN of the role's permissions boundary (created by the github-actions-ci-roles unit)."
  value       = aws_iam_role.this.permissions_boundary
}
