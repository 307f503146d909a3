// Proves the lint rule enforces the package DAG: lints virtual upward imports placed in src/ of
// lower packages and fails unless ESLint reports @nx/enforce-module-boundaries for every one.
import { ESLint } from 'eslint';

const probes = [
  ['packages/tensor/src/__dag_probe__.ts', "import { noGrad } from '@gorch/autograd';\nexport const x = noGrad;\n"],
  ['packages/io-safetensors/src/__dag_probe__.ts', "import { zeros } from '@gorch/tensor';\nexport const x = zeros;\n"],
  ['packages/nn/src/__dag_probe__.ts', "import { AdamW } from '@gorch/optim';\nexport const x = AdamW;\n"],
];
const eslint = new ESLint();
let failed = 0;
for (const [filePath, code] of probes) {
  const [result] = await eslint.lintText(code, { filePath });
  const hit = result.messages.some((m) => m.ruleId === '@nx/enforce-module-boundaries');
  console.log(`${hit ? 'rejected' : 'NOT REJECTED'}: upward import in ${filePath}`);
  if (!hit) failed++;
}
process.exit(failed ? 1 : 0);
