# Sourced by .ci/run before npm ci (from the repository root): puts the Node.js that
# .tool-versions names (the `nodejs` line) first on PATH when the machine's own Node is older.
# The npm registry ships Node itself (the `node` package installs the official binary), so
# this needs nothing beyond the registry npm ci uses. It is installed once per machine into
# the tools cache (TOOLS_CACHE_DIR, default ~/.cache/devcontainer-ecr-tools), like the tools.

ci_node_wanted="$(awk '$1 == "nodejs" { print $2 }' .tool-versions)"
if [ -z "$ci_node_wanted" ]; then
  echo ".tool-versions has no nodejs line: add one (e.g. nodejs 26.10.0)." >&2
  exit 1
fi
command -v npm >/dev/null 2>&1 || { echo "npm is needed to install Node $ci_node_wanted: install Node.js with npm first." >&2; exit 1; }

ci_node_have="$(node --version 2>/dev/null || true)"
ci_node_have="${ci_node_have#v}"
# sort -V puts the older of the two first: the machine's Node is fine when it is not older.
if [ -n "$ci_node_have" ] && [ "$(printf '%s\n%s\n' "$ci_node_wanted" "$ci_node_have" | sort -V | head -n 1)" = "$ci_node_wanted" ]; then
  echo "Node $ci_node_have (>= $ci_node_wanted from .tool-versions)"
else
  ci_node_dir="${TOOLS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/devcontainer-ecr-tools}/node-$ci_node_wanted"
  if [ ! -x "$ci_node_dir/node_modules/.bin/node" ]; then
    echo "Node ${ci_node_have:-(none)} is older than $ci_node_wanted (.tool-versions): installing it from the npm registry into $ci_node_dir"
    npm install --prefix "$ci_node_dir" --no-save --no-package-lock --no-audit --no-fund "node@$ci_node_wanted"
  fi
  export PATH="$ci_node_dir/node_modules/.bin:$PATH"
  if [ "$(node --version 2>/dev/null)" != "v$ci_node_wanted" ]; then
    echo "Installing Node $ci_node_wanted into $ci_node_dir did not give a working node (its install script may have been blocked): remove that folder and run .ci/run again, or install Node $ci_node_wanted with asdf install." >&2
    exit 1
  fi
  echo "Node $ci_node_wanted from $ci_node_dir"
fi
unset ci_node_wanted ci_node_have ci_node_dir
