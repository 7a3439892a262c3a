output "repository_name" {
  description = "Name of the ECR Public repository, e.g. caylent-solutions/devcontainer-base."
  value       = aws_ecrpublic_repository.this.repository_name
}

output "repository_arn" {
  description = "ARN of the repository (arn:aws:ecr-public::<account id>:repository/<name>), for IAM policies that grant push access."
  value       = aws_ecrpublic_repository.this.arn
}

output "repository_uri" {
  description = "URI to pull from and push to: public.ecr.aws/<registry alias>/<repository name>."
  value       = aws_ecrpublic_repository.this.repository_uri
}

output "registry_id" {
  description = "ID of the public registry that holds the repository, which is the 12-digit AWS account ID."
  value       = aws_ecrpublic_repository.this.registry_id
}

output "registry_alias" {
  description = "Alias of the public registry (the segment after public.ecr.aws/ in the repository URI), used in image references public.ecr.aws/<alias>/<repository>."
  # The precondition fails the run with a clear message when the URI does not
  # match; try() only keeps the function error from repeating it.
  value = try(regex(local.repository_uri_pattern, aws_ecrpublic_repository.this.repository_uri)[0], null)

  precondition {
    condition     = can(regex(local.repository_uri_pattern, aws_ecrpublic_repository.this.repository_uri))
    error_message = "The repository URI \"${aws_ecrpublic_repository.this.repository_uri}\" is not of the form public.ecr.aws/<registry alias>/<repository name>, so the registry alias cannot be derived from it."
  }
}

output "catalog_data" {
  description = "The catalog data this configuration asks for (description, architectures, operating_systems, sorted): the tasks compare it with what the ECR Public API serves after apply, and doctor compares it with the live repository."
  value = {
    description       = var.description
    architectures     = sort(var.architectures)
    operating_systems = sort(var.operating_systems)
  }
}
