// One measurement in a fresh process (so peak RSS belongs to that operation alone):
//   npx tsx bench/child.ts <mode> <file> [tensor]
// Prints one JSON line: { mode, ms, maxRssBytes, bytesRead? }.
import { readFileSync } from 'node:fs';
import { fileSource, loadSafetensors, openSafetensors, parseSafetensors, readSafetensorsHeader, type ByteSource } from '../src/index.js';

const [mode, file, tensor] = process.argv.slice(2) as [string, string, string | undefined];
let keep: unknown;
let bytesRead: number | undefined;
const t0 = performance.now();
switch (mode) {
  case 'empty':
    break;
  case 'readFileSync':
    keep = readFileSync(file);
    break;
  case 'parse': {
    const b = readFileSync(file);
    keep = parseSafetensors(new Uint8Array(b.buffer, b.byteOffset, b.length));
    break;
  }
  case 'load':
    keep = await loadSafetensors(file);
    break;
  case 'header':
    keep = await readSafetensorsHeader(file);
    break;
  case 'lazy': {
    const src = await fileSource(file);
    bytesRead = 0;
    const counting: ByteSource = { size: src.size, read: async (o, l) => { const r = await src.read(o, l); bytesRead! += r.length; return r; } };
    const r = await openSafetensors(counting);
    keep = await r.get(tensor!);
    await src.close();
    break;
  }
  default:
    throw new Error(`unknown mode ${mode}`);
}
const ms = performance.now() - t0;
void keep;
console.log(JSON.stringify({ mode, ms, maxRssBytes: process.resourceUsage().maxRSS * 1024, bytesRead }));
