// Writes every exporter's output to a temp folder and runs the reference ONNX checker on it:
//   npx tsx packages/io-onnx/scripts/check-exports.ts   (from the repo root; needs /usr/bin/python3 with onnx)
// and records the result in packages/io-onnx/test/golden/onnx_check.json.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeExportSamples } from '../test/export_samples';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'io-onnx-check-'));
try {
  writeExportSamples(dir);
  const record = join(root, 'packages/io-onnx/test/golden/onnx_check.json');
  const run = spawnSync('/usr/bin/python3', [join(root, 'tools/onnx_check.py'), dir, '--record', record], { stdio: 'inherit' });
  process.exitCode = run.status ?? 1;
} finally {
  rmSync(dir, { recursive: true, force: true });
}
