#!/usr/bin/env bash
# editors/vscode/e2e/run.sh: the browser tests, with Node 24, playwright-core and
# Debian's Chromium:
#   - code-server.test.mjs: the packaged extension in real VS Code (code-server),
#     installed from the platform .vsix in dist/ (scripts/release.sh; editors/ci.sh
#     makes it);
#   - status-report.test.mjs: `marginalia status --format html` rendered in Chromium
#     (the binary: $MARGINALIA_BIN, default target/debug/marginalia).
# Installs their tools first (install.sh, cached in target/code-server-e2e).
# Screenshots go to target/code-server-e2e/artifacts/. Run from anywhere:
# `bash editors/vscode/e2e/run.sh`.
set -euo pipefail
e2e="$(cd "$(dirname "$0")" && pwd)"
repo="$(cd "$e2e/../../.." && pwd)"
# An assignment, so that a failed install stops the script (set -e); eval alone would not.
tools="$(bash "$e2e/install.sh")"
eval "$tools"
vsix="$(ls "$repo"/dist/marginalia-*-linux-x64.vsix 2>/dev/null | head -n 1 || true)"
[ -n "$vsix" ] || { echo "no dist/marginalia-*-linux-x64.vsix: run scripts/release.sh (editors/ci.sh does)" >&2; exit 1; }
[ -d "$e2e/../node_modules/playwright-core" ] || (cd "$e2e/.." && npm ci --no-audit --no-fund)
started=$(date +%s)
CODE_SERVER="$E2E_CODE_SERVER" CHROMIUM="$E2E_CHROMIUM" MARGINALIA_VSIX="$vsix" \
  MARGINALIA_E2E_ARTIFACTS="$repo/target/code-server-e2e/artifacts" \
  "$E2E_NODE" --test --test-force-exit --test-timeout=900000 "$e2e/code-server.test.mjs" "$e2e/status-report.test.mjs"
echo "== code-server e2e: tests ran in $(($(date +%s) - started)) s; screenshots in target/code-server-e2e/artifacts/"
