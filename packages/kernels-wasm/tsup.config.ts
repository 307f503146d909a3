import { defineConfig } from 'tsup';

// The wasm files stay in ../wasm/ (committed, shipped via "files"); src/loader.ts finds them with
// `new URL('../wasm/…', import.meta.url)`, which resolves to the same folder from src/ and dist/.
// `shims` gives the CJS build an import.meta.url.
export default defineConfig({
  entry: ['src/index.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  shims: true,
  target: 'es2022',
});
