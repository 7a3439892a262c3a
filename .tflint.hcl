# TFLint configuration for platform/infra/terraform-modules.
#
# The AWS ruleset is declared as everyone declares it, so `tflint --init` installs it
# wherever GitHub is reachable. Offline, `npm run tools` builds the same version and puts
# it where tflint looks for this source and version, under the plugin directory
# (TFLINT_PLUGIN_DIR): <dir>/github.com/terraform-linters/tflint-ruleset-aws/<version>/.
# tflint only downloads on --init, so `npm run lint` never reaches for the network.

config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
  source  = "github.com/terraform-linters/tflint-ruleset-aws"
  version = "0.48.0"
}
