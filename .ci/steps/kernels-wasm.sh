#!/usr/bin/env bash
# Rebuilds packages/kernels-wasm/wasm/*.wasm from the C sources and fails when the bytes differ from
# the committed ones, so the committed binaries always match src/c (users never need Emscripten).
set -euo pipefail
cd "$(dirname "$0")/../.."
if ! command -v emcc >/dev/null 2>&1; then
  echo "installing emscripten (apt)"
  SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  $SUDO apt-get update -qq && $SUDO apt-get install -y -qq emscripten >/dev/null
fi
pkg=packages/kernels-wasm
# every build that build.sh writes must be committed (a missing file would not show up in the loop below)
for name in gorch-kernels-simd.wasm gorch-kernels.wasm gorch-kernels-simd-threads.wasm; do
  [ -f "$pkg/wasm/$name" ] || { echo "ERROR: $pkg/wasm/$name is not committed (run 'bash $pkg/build.sh')" >&2; exit 1; }
done
tmp=$(mktemp -d)
cp "$pkg"/wasm/*.wasm "$tmp"/
bash "$pkg/build.sh" >/dev/null
status=0
for f in "$tmp"/*.wasm; do
  name=$(basename "$f")
  if ! cmp -s "$f" "$pkg/wasm/$name"; then
    echo "ERROR: $pkg/wasm/$name differs from a rebuild of src/c (run 'bash $pkg/build.sh' and commit the result)" >&2
    status=1
  fi
done
rm -rf "$tmp"
exit "$status"
