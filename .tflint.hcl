# TFLint configuration for platform/infra/terraform-modules.
#
# The aws ruleset has no `source`/`version` on purpose: tflint then never
# downloads anything (no GitHub access) and loads the plugin binary
# `tflint-ruleset-aws` from its plugin directory (TFLINT_PLUGIN_DIR, default
# ~/.tflint.d/plugins), where the project's tooling installs it.

config {
  call_module_type = "local"
}

plugin "terraform" {
  enabled = true
  preset  = "recommended"
}

plugin "aws" {
  enabled = true
}
