import { defineConfig } from 'tsup';

// Two builds: the library (main(), ESM + CJS with types) and the `gorch` executable (ESM, keeps its
// shebang; tsup marks a file with a shebang executable). @gorch/* stay external, so the embedded model
// is found next to @gorch/gpt2's own dist.
export default defineConfig([
  { entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true, clean: true, sourcemap: true, target: 'es2022' },
  { entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false, sourcemap: true, target: 'es2022' },
]);
