// The build every @gorch package shares: ESM + CJS with .d.ts, ES2022, source maps. A package's
// tsup.config.ts passes only what differs (extra entries, shims).
import type { Options } from 'tsup';

export function libraryBuild(overrides: Options = {}): Options {
  return { entry: ['src/index.ts'], format: ['esm', 'cjs'], dts: true, clean: true, sourcemap: true, target: 'es2022', ...overrides };
}
