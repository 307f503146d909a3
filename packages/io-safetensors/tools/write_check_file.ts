// Writes the PyTorch interop check file with saveSafetensors:
//   npx tsx packages/io-safetensors/tools/write_check_file.ts /tmp/gorch-st/gorch.safetensors
// then: /usr/bin/python3 tools/fixtures/safetensors_check.py /tmp/gorch-st/gorch.safetensors
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { saveSafetensors } from '../src/index.js';
import { CHECK_METADATA, checkTensors } from './check_tensors.js';

const out = process.argv[2] ?? '/tmp/gorch-st/gorch.safetensors';
mkdirSync(dirname(out), { recursive: true });
await saveSafetensors(out, checkTensors(), CHECK_METADATA);
console.log('wrote', out);
