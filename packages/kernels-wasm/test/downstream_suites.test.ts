/// <reference types="vite/client" />
// Runs the autograd and nn test files (same bodies, same PyTorch goldens) with 'wasm' as the active
// backend, so every forward and backward kernel they use runs on wasm (or its JS fallback).
import { initWasmBackend } from '../src/index';

await initWasmBackend();
const suites = import.meta.glob(['../../autograd/test/*.test.ts', '../../nn/test/*.test.ts']);
for (const load of Object.values(suites)) await load();
