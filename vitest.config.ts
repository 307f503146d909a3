// One vitest run for the whole monorepo: each package is a project named after its folder, and
// `@gorch/<name>` resolves to that package's TypeScript source so tests never need a build first.
import { defineConfig } from 'vitest/config';
import { readdirSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { resolve } from 'node:path';

const root = fileURLToPath(new URL('.', import.meta.url));
const packages = readdirSync(resolve(root, 'packages')).filter((p) => existsSync(resolve(root, 'packages', p, 'package.json')));
const alias = packages.map((p) => ({ find: new RegExp(`^@gorch/${p}$`), replacement: resolve(root, 'packages', p, 'src/index.ts') }));

export default defineConfig({
  resolve: { alias },
  test: {
    testTimeout: 60_000,
    projects: packages.map((p) => ({
      resolve: { alias },
      test: { name: p, root: resolve(root, 'packages', p), include: ['test/**/*.test.ts'], testTimeout: 60_000 },
    })),
  },
});
