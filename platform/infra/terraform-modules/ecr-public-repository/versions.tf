terraform {
  # The module itself needs nothing newer than the S3-native-locking era of
  # Terraform. The version operators run is pinned in .tool-versions.
  required_version = ">= 1.10.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}
