#!/usr/bin/env bash
# scripts/release.sh: everything an annotator without a Rust toolchain installs,
# built into dist/ with one command (issue 21):
#   - marginalia-VERSION-TARGET            the server/CLI binary (profile `dist`:
#                                          stripped, LTO, one codegen unit; Cargo.toml)
#   - marginalia-VERSION-TARGET.vsix       the VS Code extension for this platform,
#                                          with that binary inside at server/marginalia
#   - marginalia-nvim-VERSION-TARGET/      the Neovim plugin (editors/nvim) with the
#     (and .tar.gz)                        binary in its bin/ folder
#   - SHA256SUMS                           checksums of the files above
# and prints their sizes. Only this machine's platform is built: the binary is
# native (no cross toolchains here), and vsce's --target must match it.
#
# Usage: scripts/release.sh            (from anywhere; needs cargo, node/npm 20+)
# Env:   MARGINALIA_DIST_BIN=PATH      package this binary instead of building one
#                                      (the CI smoke test packages a debug build)
set -euo pipefail
repo="$(cd "$(dirname "$0")/.." && pwd)"
dist="$repo/dist"
cd "$repo"

case "$(uname -s)-$(uname -m)" in
  Linux-x86_64) target=linux-x64 ;;
  Linux-aarch64) target=linux-arm64 ;;
  Darwin-x86_64) target=darwin-x64 ;;
  Darwin-arm64) target=darwin-arm64 ;;
  *) echo "release.sh: no VS Code target for $(uname -s)-$(uname -m)" >&2; exit 1 ;;
esac

size() { stat -c %s "$1" 2>/dev/null || stat -f %z "$1"; }
human() { numfmt --to=iec-i --suffix=B "$1" 2>/dev/null || echo "$1 bytes"; }

if [ -n "${MARGINALIA_DIST_BIN:-}" ]; then
  bin="$MARGINALIA_DIST_BIN"
else
  echo "== release: cargo build --profile dist (stripped, LTO; takes minutes)"
  started=$SECONDS
  cargo build --profile dist --locked --bin marginalia
  echo "   built in $((SECONDS - started)) s"
  bin="$repo/target/dist/marginalia"
fi
version="$("$bin" --version | awk '{print $2}')"
echo "== release: marginalia $version for $target"

rm -rf "$dist"
mkdir -p "$dist"
cp "$bin" "$dist/marginalia-$version-$target"

echo "== release: VS Code extension ($target, binary at server/marginalia)"
vscode="$repo/editors/vscode"
# server/ exists only while the platform package is built: the plain
# `npm run package` (editors/ci.sh) makes a universal .vsix without a binary.
cleanup() { rm -rf "$vscode/server"; }
trap cleanup EXIT
(
  cd "$vscode"
  [ -d node_modules ] || npm ci --no-audit --no-fund
  package() { # package OUT: the platform .vsix with whatever is in server/
    npx --no-install vsce package --target "$target" --skip-license --allow-missing-repository --out "$1" >/dev/null
  }
  rm -rf server && mkdir server
  cp "$bin" server/marginalia
  chmod 755 server/marginalia
  package "$dist/marginalia-$version-$target.vsix"
  # For comparison only: the same package with the unstripped release build,
  # when one is there (`cargo build --release`), to show what stripping saves.
  if [ -z "${MARGINALIA_DIST_BIN:-}" ] && [ -x "$repo/target/release/marginalia" ]; then
    scratch="$(mktemp -d)"
    cp "$repo/target/release/marginalia" server/marginalia
    package "$scratch/unstripped.vsix"
    echo "   vsix with target/release/marginalia (not stripped): $(human "$(size "$scratch/unstripped.vsix")")"
    rm -rf "$scratch"
  fi
)
cleanup

echo "== release: Neovim plugin folder (binary in bin/)"
nvim_dir="marginalia-nvim-$version-$target"
mkdir -p "$dist/$nvim_dir/bin"
# Without what a local :MarginaliaInstall may have left in the checkout.
(cd "$repo/editors/nvim" && tar --exclude=./bin --exclude=./.crates.toml --exclude=./.crates2.json -cf - .) | tar -C "$dist/$nvim_dir" -xf -
cp "$bin" "$dist/$nvim_dir/bin/marginalia"
chmod 755 "$dist/$nvim_dir/bin/marginalia"
tar -C "$dist" -czf "$dist/$nvim_dir.tar.gz" "$nvim_dir"

# Python wheel (the CLI as `pip install marginalia`): not built yet. When it is,
# build it here into "$dist" (e.g. maturin build --release --strip --out "$dist"
# with the `bin` bindings), before the checksums below.

echo "== release: checksums"
(cd "$dist" && for f in *; do if [ -f "$f" ] && [ "$f" != SHA256SUMS ]; then echo "$f"; fi; done | xargs sha256sum > SHA256SUMS)
cat "$dist/SHA256SUMS"

echo "== release: sizes"
for f in "$dist"/*; do
  [ -f "$f" ] && printf '   %-48s %s\n' "$(basename "$f")" "$(human "$(size "$f")")"
done
