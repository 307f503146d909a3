#!/usr/bin/env node
// The `gorch` executable. A committed shim rather than dist/cli.js itself, because npm links
// workspace bins at install time (`npm ci`), before `npm run build` has created dist/.
import('../dist/cli.js').catch((err) => {
  if (err && err.code === 'ERR_MODULE_NOT_FOUND' && String(err.message).includes('dist/cli.js')) {
    console.error('gorch: @gorch/cli is not built yet; run `npm run build` at the repository root');
  } else {
    console.error(err);
  }
  process.exitCode = 1;
});
