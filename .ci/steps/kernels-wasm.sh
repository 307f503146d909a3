#!/usr/bin/env bash
# Rebuilds packages/kernels-wasm/wasm/*.wasm (and the bench's ceiling.wasm) from the C sources and fails when the bytes differ from
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
built=(wasm/gorch-kernels-simd.wasm wasm/gorch-kernels.wasm wasm/gorch-kernels-simd-threads.wasm bench/ceiling.wasm)
for rel in "${built[@]}"; do
  [ -f "$pkg/$rel" ] || { echo "ERROR: $pkg/$rel is not committed (run 'bash $pkg/build.sh')" >&2; exit 1; }
done
tmp=$(mktemp -d)
for rel in "${built[@]}"; do cp "$pkg/$rel" "$tmp/$(basename "$rel")"; done
bash "$pkg/build.sh" >/dev/null
status=0
for rel in "${built[@]}"; do
  if ! cmp -s "$tmp/$(basename "$rel")" "$pkg/$rel"; then
    echo "ERROR: $pkg/$rel differs from a rebuild of its C source (run 'bash $pkg/build.sh' and commit the result)" >&2
    status=1
  fi
done
rm -rf "$tmp"
exit "$status"
