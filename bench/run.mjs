// `npm run bench`: every benchmark of the repository, one after another, each measuring gorch beside
// its peers in the same run (interleaved rounds, medians). Run `npm run build` first. A subset:
// `npm run bench -- tensor tokenizer`. The GPT-2 decode bench needs an ONNX model made once by
// `/usr/bin/python3 packages/kernels-wasm/tools/make_gpt2_decode_onnx.py` and says so when it is absent.
import { spawnSync } from 'node:child_process';

const benches = {
  tensor: ['npx', 'tsx', 'packages/tensor/bench/matmul.ts'],
  autograd: ['node', 'packages/autograd/bench/run.mjs'],
  tokenizer: ['npx', 'tsx', 'bench/tokenizer.ts'],
  safetensors: ['npx', 'tsx', 'packages/io-safetensors/bench/safetensors.ts'],
  kernels: ['npx', 'tsx', 'packages/kernels-wasm/bench/kernels.ts'],
  ceiling: ['npx', 'tsx', 'packages/kernels-wasm/bench/ceiling.ts'],
  decode: ['npx', 'tsx', 'bench/kernels/gpt2_decode.ts'],
  gpt2: ['npx', 'tsx', 'bench/gpt2.ts'],
};
const wanted = process.argv.slice(2);
let failed = 0;
for (const [name, [cmd, ...args]] of Object.entries(benches)) {
  if (wanted.length && !wanted.includes(name)) continue;
  console.log(`\n== ${name}: ${cmd} ${args.join(' ')}`);
  if (spawnSync(cmd, args, { stdio: 'inherit' }).status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
