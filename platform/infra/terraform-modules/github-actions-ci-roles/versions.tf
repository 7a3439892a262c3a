terraform {
  # The version the project pins in .tool-versions, as ecr-public-repository
  # requires: the module is only tested with it.
  required_version = "1.14.5"

  required_providers {
    # The release tools.lock.json pins (terraformProvider), which every unit's committed
    # .terraform.lock.hcl selects; "~>" also admits the offline source build of a later
    # patch that rehearsals and tests run with their own lock file (npm run lint checks both).
    aws = {
      source  = "hashicorp/aws"
      version = "~> 6.47.0"
    }
  }
}
