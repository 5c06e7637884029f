#!/usr/bin/env bash
# scripts/check-dist.sh: checks what scripts/release.sh wrote to dist/, as an
# annotator would receive it: the checksums match, the platform .vsix holds the
# server at extension/server/marginalia (executable) and that binary runs, the
# Neovim folder has the plugin and a binary in bin/ that runs. Run by editors/ci.sh.
set -euo pipefail
dist="$(cd "$(dirname "$0")/.." && pwd)/dist"
cd "$dist"

echo "== check-dist: SHA256SUMS"
sha256sum --check --quiet SHA256SUMS

vsix="$(ls marginalia-*.vsix)"
echo "== check-dist: $vsix"
# The listing is read whole: `unzip -l | grep -q` would fail under pipefail when
# grep stops reading early and unzip gets SIGPIPE.
listing="$(unzip -l "$vsix")"
grep -q ' extension/server/marginalia$' <<<"$listing" || { echo "no extension/server/marginalia in $vsix" >&2; exit 1; }
grep -q ' extension/out/src/extension.js$' <<<"$listing" || { echo "no compiled extension in $vsix" >&2; exit 1; }
scratch="$(mktemp -d)"
trap 'rm -rf "$scratch"' EXIT
unzip -q "$vsix" -d "$scratch"
# The executable bit must survive packaging: VS Code runs the file as it is unpacked.
[ -x "$scratch/extension/server/marginalia" ] || { echo "server/marginalia in $vsix is not executable" >&2; exit 1; }
"$scratch/extension/server/marginalia" --version
# The platform is recorded in the manifest, so the Marketplace / VS Code pick the right one.
grep -q 'TargetPlatform="linux-x64"\|TargetPlatform="linux-arm64"\|TargetPlatform="darwin' "$scratch/extension.vsixmanifest" \
  || { echo "$vsix has no TargetPlatform in its manifest" >&2; exit 1; }

nvim_dir="$(ls -d marginalia-nvim-*/)"
echo "== check-dist: ${nvim_dir%/}"
for f in plugin/marginalia.lua lua/marginalia/init.lua lua/marginalia/health.lua lsp/marginalia.lua; do
  [ -f "$nvim_dir$f" ] || { echo "$nvim_dir$f missing" >&2; exit 1; }
done
"${nvim_dir}bin/marginalia" --version
echo "== check-dist: ok"
