import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// encode_worker is its own entry because encodeBatch starts it as a worker thread by file name.
export default defineConfig(
  libraryBuild({ entry: ['src/index.ts', 'src/gpt2.ts', 'src/encode_worker.ts'], dts: { entry: ['src/index.ts', 'src/gpt2.ts'] }, shims: true }),
);
