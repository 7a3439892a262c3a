output "plan_role_arn" {
  description = "ARN of the read-only role: role-to-assume of the pull-request plan and the drift check (repository variable DEPLOY_PLAN_ROLE_ARN)."
  value       = aws_iam_role.plan.arn
}

output "apply_role_arn" {
  description = "ARN of the production environment's apply role (repository variable DEPLOY_APPLY_ROLE_ARN)."
  value       = aws_iam_role.apply.arn
}

output "push_boundary_arn" {
  description = "ARN of the push role's permissions boundary."
  value       = aws_iam_policy.push_boundary.arn
}

output "oidc_provider_arn" {
  description = "ARN of the GitHub OIDC provider the roles trust: the one this unit created, or existing_oidc_provider_arn."
  value       = local.oidc_provider_arn
}

output "plan_trust_subjects" {
  description = "The token subjects the plan role trusts."
  value       = local.plan_subjects
}

output "apply_trust" {
  description = "The subject and job_workflow_ref the apply role trusts."
  value       = { subject = local.apply_subject, job_workflow_ref = local.apply_job_workflow_ref }
}
