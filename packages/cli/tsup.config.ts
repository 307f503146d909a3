import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Two builds: the library (main(), ESM + CJS with types) and the `gorch` executable (ESM, keeps its
// shebang; tsup marks a file with a shebang executable). @gorch/* stay external, so the embedded model
// is found next to @gorch/gpt2's own dist.
export default defineConfig([libraryBuild(), libraryBuild({ entry: ['src/cli.ts'], format: ['esm'], dts: false, clean: false })]);
