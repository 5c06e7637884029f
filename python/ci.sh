#!/usr/bin/env bash
# CI for the Python package (called by .ci/run after `cargo test`, whose debug
# `marginalia` binary the tests compare with): installs the package with the
# README's command into the spaCy venv .ci/run made, and runs pytest.
#
# The wheel is built with the dev profile (MATURIN_PEP517_ARGS): it reuses the
# dependencies `cargo test` just compiled, so CI pays for the bindings only,
# not for a second, optimised build of the whole crate; --strip leaves the
# debug info out of the wheel (zipping 200 MB of it took minutes). Release
# wheels are what `pip install ./python` builds by default.
set -euo pipefail
cd "$(dirname "$0")/.."

venv="${MARGINALIA_PY_VENV:-target/spacy-venv}"
if [ ! -x "$venv/bin/python" ]; then
  python3 -m venv "$venv"
fi
"$venv/bin/pip" install --quiet --disable-pip-version-check 'maturin>=1.5,<2' 'pytest>=7' 'spacy>=3.7,<4' \
  'dask[distributed]>=2024.1' 'pandas>=1.5' 'pyarrow>=12'

echo "== cargo clippy -p marginalia-python (the root's clippy skips this non-default member)"
cargo clippy -p marginalia-python --locked -- -D warnings

echo "== pip install ./python (dev profile)"
start=$(date +%s)
# --no-build-isolation: maturin from the venv (on PATH for the build hook), no
# second download of it.
PATH="$PWD/$venv/bin:$PATH" MATURIN_PEP517_ARGS="--profile dev --strip" "$venv/bin/pip" install --quiet --disable-pip-version-check --no-build-isolation --force-reinstall --no-deps ./python
echo "built and installed in $(( $(date +%s) - start )) s"

echo "== pytest python/tests"
export MARGINALIA_BIN="${MARGINALIA_BIN:-$PWD/target/debug/marginalia}"
# From the repository root, so that the installed package is imported, not the
# source folder python/marginalia (which lacks the native module).
"$venv/bin/python" -m pytest -q -p no:cacheprovider python/tests
