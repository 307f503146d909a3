/// <reference types="vite/client" />
// Runs @gorch/tensor's own test files (same bodies, same PyTorch goldens) with the 'wasm' backend
// registered: those suites iterate over every registered backend, so each case runs on 'js' and 'wasm'.
import { initWasmBackend } from '../src/index';

await initWasmBackend({ setActive: false });
const suites = import.meta.glob('../../tensor/test/*.test.ts');
for (const load of Object.values(suites)) await load();
