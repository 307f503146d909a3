#!/usr/bin/env bash
# Rebuilds the committed wasm/*.wasm from src/c with Debian's Emscripten (3.1.6), and the benchmarks'
# bench/ceiling.wasm. Three builds of src/c: 128-bit SIMD, scalar for engines where
# WebAssembly.validate rejects SIMD, and SIMD over shared memory for threads (below).
# STANDALONE_WASM + --no-entry: no Emscripten JS glue (it fetch()es file paths under Node); the
# loader in src/loader.ts instantiates the bytes itself.
# The third build is the SIMD one over an imported shared memory (atomics + bulk memory; Emscripten
# 3.1.6 refuses -pthread with STANDALONE_WASM): src/thread_pool.ts instantiates it once per
# worker_thread / Web Worker over the same WebAssembly.Memory. Only the main thread allocates, and
# each worker gets its own stack (stackRestore) and gemm packing workspace.
set -euo pipefail
cd "$(dirname "$0")"
export NODE_PATH="${NODE_PATH:-/usr/share/nodejs}" EMSDK_PYTHON="${EMSDK_PYTHON:-/usr/bin/python3}"
# Emscripten writes its cache under HOME; keep builds from depending on the caller's environment.
export SOURCE_DATE_EPOCH=0
mkdir -p wasm
sources=(src/c/*.c)
common=(-O3 -std=c11 -Wall -Wextra -Wno-unused-parameter -fno-math-errno -ffp-contract=off
  -sSTANDALONE_WASM --no-entry -sMALLOC=emmalloc -sALLOW_MEMORY_GROWTH=1 -sINITIAL_MEMORY=16777216
  -sMAXIMUM_MEMORY=4294967296 -sTOTAL_STACK=1048576 -sERROR_ON_UNDEFINED_SYMBOLS=1 -g0)
build() {
  local out=$1; shift
  emcc "${common[@]}" "$@" "${sources[@]}" -o "wasm/$out.tmp.wasm"
  mv "wasm/$out.tmp.wasm" "wasm/$out"
}
build gorch-kernels-simd.wasm -msimd128
build gorch-kernels.wasm
build gorch-kernels-simd-threads.wasm -msimd128 -matomics -mbulk-memory -sIMPORTED_MEMORY=1 -Wl,--shared-memory
# The ceiling probes of bench/kernels.ts and bench/ceiling.ts (bench/ceiling.c): not shipped, committed so benches need no toolchain.
emcc -O3 -msimd128 -ffp-contract=off -fno-unroll-loops -sSTANDALONE_WASM --no-entry -g0 bench/ceiling.c -o bench/ceiling.tmp.wasm
mv bench/ceiling.tmp.wasm bench/ceiling.wasm
ls -l wasm/*.wasm bench/ceiling.wasm
