terraform {
  # The version the project pins in .tool-versions, as ecr-public-repository
  # requires: the module is only tested with it.
  required_version = "1.14.5"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.0"
    }
  }
}
