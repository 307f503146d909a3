import { defineConfig } from 'tsup';

// Two entries with the same API: `index` (Node: adds the node:fs file functions) and `browser`
// (picked by the `browser` export condition; file functions throw instead of importing node:fs).
export default defineConfig({
  entry: ['src/index.ts', 'src/browser.ts'],
  format: ['esm', 'cjs'],
  dts: true,
  clean: true,
  sourcemap: true,
  target: 'es2022',
});
