import { defineConfig } from 'tsup';

// encode_worker is its own entry because encodeBatch starts it as a worker thread by file name.
export default defineConfig({
  entry: ['src/index.ts', 'src/gpt2.ts', 'src/encode_worker.ts'],
  format: ['esm', 'cjs'],
  dts: { entry: ['src/index.ts', 'src/gpt2.ts'] },
  clean: true,
  sourcemap: true,
  shims: true,
  target: 'es2022',
});
