import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** ../shared/fixtures, resolved from the repo root (packages/io-onnx/test -> ../../../../shared/fixtures). */
export const FIXTURES = fileURLToPath(new URL('../../../../shared/fixtures/', import.meta.url));
export const HAS_FIXTURES = existsSync(FIXTURES);
export const GOLDEN = fileURLToPath(new URL('./golden/', import.meta.url));
if (!HAS_FIXTURES) console.warn(`io-onnx: ${FIXTURES} is absent; fixture tests are skipped`);
