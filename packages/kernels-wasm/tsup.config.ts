import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// The wasm files stay in ../wasm/ (committed, shipped via "files"); src/loader.ts finds them with
// `new URL('../wasm/…', import.meta.url)`, which resolves to the same folder from src/ and dist/.
// `shims` gives the CJS build an import.meta.url.
export default defineConfig(libraryBuild({ shims: true }));
