// Every exporter's output passes onnx.checker.check_model(full_check=True) of the reference ONNX
// library (tools/onnx_check.py, Debian python3-onnx). Skipped, with a message, where that library
// is not installed; .ci/steps/io-onnx.sh installs it in CI.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { writeExportSamples } from './export_samples';

const PYTHON = '/usr/bin/python3';
const hasOnnx = spawnSync(PYTHON, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0;
if (!hasOnnx) console.warn(`io-onnx: ${PYTHON} with the onnx module is absent; the onnx.checker test is skipped (apt-get install python3-onnx)`);
const CHECKER = fileURLToPath(new URL('../../../tools/onnx_check.py', import.meta.url));

describe.skipIf(!hasOnnx)('onnx.checker.check_model on every export', () => {
  const dir = mkdtempSync(join(tmpdir(), 'io-onnx-check-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('accepts all of them', () => {
    const files = writeExportSamples(dir);
    const run = spawnSync(PYTHON, [CHECKER, dir], { encoding: 'utf8' });
    expect(run.stdout + run.stderr).not.toMatch(/FAIL/);
    expect(run.status).toBe(0);
    expect(run.stdout.match(/^ok /gm)?.length).toBe(files.length);
  });
});
