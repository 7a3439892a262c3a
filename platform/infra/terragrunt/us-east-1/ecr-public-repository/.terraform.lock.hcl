# This file is maintained automatically by "terraform init".
# Manual edits may be lost in future updates.

provider "registry.terraform.io/hashicorp/aws" {
  version     = "6.47.1"
  constraints = "~> 6.0"
  hashes = [
    "h1:Oyij3m9vm57rGk7T7GyS2Y2fYYmUiw1g7rIMg2d618o=",
  ]
}
