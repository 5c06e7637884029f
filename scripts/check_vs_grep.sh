#!/usr/bin/env bash
# `marginalia check` next to `grep -rc '“'` over the same files, in one run
# (issue 20: check at the speed of reading). Runs alternate and the best of
# each is kept, so that load from other processes hits both alike. Wall-clock
# and CPU seconds (user + system) are both printed, with the load average: on a
# shared machine the CPU ratio is the one to read.
#
#   scripts/check_vs_grep.sh CORPUS [RUNS] [BINARY]
#
# CORPUS is a marginalia corpus (a folder with marginalia.toml and articles/):
#   cargo run --release --example gen_corpus -- corpus /tmp/corpus-10k 10000        (quotes of every kind)
#   cargo run --release --example gen_corpus -- prose-corpus /tmp/prose-10k 10000   (the seeds' paragraphs only)
set -euo pipefail
corpus=${1:?usage: scripts/check_vs_grep.sh CORPUS [RUNS] [BINARY]}
runs=${2:-3}
binary=${3:-$(dirname "$0")/../target/release/marginalia}
[ -x "$binary" ] || { echo "no binary at $binary (cargo build --release)" >&2; exit 2; }
bytes=$(find "$corpus/articles" -type f -name '*.txt' -printf '%s\n' | awk '{s+=$1} END {print s}')
files=$(find "$corpus/articles" -type f -name '*.txt' | wc -l)
times=$(mktemp)
trap 'rm -f "$times"' EXIT
# "wall cpu" of a command, its output discarded.
timed() { /usr/bin/time -f '%e %U %S' -o "$times" "$@" > /dev/null 2>&1 || true; awk '{print $1, $2 + $3}' "$times"; }
min() { awk -v a="$1" -v b="$2" 'BEGIN {print (a < b) ? a : b}'; }
grep -rc '“' "$corpus/articles" > /dev/null || true # the page cache, for both
gw=1e9; gc=1e9; cw=1e9; cc=1e9
for _ in $(seq "$runs"); do
  read -r w c < <(timed grep -rc '“' "$corpus/articles"); gw=$(min "$gw" "$w"); gc=$(min "$gc" "$c")
  read -r w c < <(timed "$binary" check --format json "$corpus"); cw=$(min "$cw" "$w"); cc=$(min "$cc" "$c")
done
awk -v bytes="$bytes" -v files="$files" -v gw="$gw" -v gc="$gc" -v cw="$cw" -v cc="$cc" -v runs="$runs" \
    -v name="${CORPUS_NAME:-$corpus}" -v load="$(cut -d' ' -f1-3 /proc/loadavg)" 'BEGIN {
  mb = bytes / 1e6
  print "| corpus | files | MB | grep wall s | grep CPU s | check wall s | check CPU s | check MB/s (wall) | check / grep (wall) | check / grep (CPU) | load average |"
  print "|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|"
  printf "| %s | %d | %.1f | %.2f | %.2f | %.2f | %.2f | %.1f | %.0f× | %.0f× | %s |\n", name, files, mb, gw, gc, cw, cc, mb / cw, cw / gw, cc / (gc > 0 ? gc : 0.01), load
  printf "(best of %d alternated runs)\n", runs
}'
