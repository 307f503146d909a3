// Bundles backward.ts (gorch from source, tfjs-core through its ESM "module" entry, which is the only
// build that can load tfjs-core's gradient registrations) into a temp file and runs it.
import { build } from 'esbuild';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = fileURLToPath(new URL('.', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'gorch-autograd-bench-'));
const outfile = join(dir, 'backward.mjs');
try {
  await build({
    entryPoints: [join(here, 'backward.ts')],
    bundle: true,
    platform: 'node',
    format: 'esm',
    mainFields: ['module', 'main'],
    alias: { '@gorch/tensor': join(here, '../../tensor/src/index.ts'), '@gorch/autograd': join(here, '../src/index.ts') },
    outfile,
    logLevel: 'error',
    banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
  });
  await import(pathToFileURL(outfile).href);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
