#!/usr/bin/env bash
# Prints the folder of a Node.js at least as new as the one .tool-versions names (the `nodejs`
# line), for a caller to put first on PATH:  PATH="$(bash .ci/node.sh):$PATH"
# Run it, never source it: it ends with an exit status, and a failure must not close your shell.
# Where the machine's Node is older, it installs the pinned one from the npm registry (the `node`
# package ships the official binary), once per machine, into the tools cache (TOOLS_CACHE_DIR,
# default ~/.cache/devcontainer-ecr-tools). Messages go to stderr; stdout is the folder alone.
set -euo pipefail

wanted="$(awk '$1 == "nodejs" { print $2 }' .tool-versions)"
if [ -z "$wanted" ]; then
  echo ".tool-versions has no nodejs line: add one (e.g. nodejs 26.10.0)." >&2
  exit 1
fi

have="$(node --version 2>/dev/null || true)"
have="${have#v}"
# sort -V puts the older of the two first: the machine's Node is fine when it is not older.
if [ -n "$have" ] && [ "$(printf '%s\n%s\n' "$wanted" "$have" | sort -V | head -n 1)" = "$wanted" ]; then
  echo "Node $have (>= $wanted from .tool-versions)" >&2
  dirname "$(command -v node)"
  exit 0
fi

command -v npm >/dev/null 2>&1 || { echo "npm is needed to install Node $wanted: install Node.js with npm first." >&2; exit 1; }
dir="${TOOLS_CACHE_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/devcontainer-ecr-tools}/node-$wanted"
if [ ! -x "$dir/node_modules/.bin/node" ]; then
  echo "Node ${have:-(none)} is older than $wanted (.tool-versions): installing it from the npm registry into $dir" >&2
  npm install --prefix "$dir" --no-save --no-package-lock --no-audit --no-fund "node@$wanted" >&2
fi
if [ "$("$dir/node_modules/.bin/node" --version 2>/dev/null)" != "v$wanted" ]; then
  echo "Installing Node $wanted into $dir did not give a working node (its install script may have been blocked): remove that folder and run .ci/run again, or install Node $wanted with asdf install." >&2
  exit 1
fi
echo "Node $wanted from $dir" >&2
echo "$dir/node_modules/.bin"
