import { defineConfig } from 'tsup';
import { libraryBuild } from '../../tsup.shared';

// Two entries with the same API: `index` (Node: adds the node:fs file functions) and `browser`
// (picked by the `browser` export condition; file functions throw instead of importing node:fs).
export default defineConfig(libraryBuild({ entry: ['src/index.ts', 'src/browser.ts'] }));
