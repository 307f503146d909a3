// Lint: TypeScript rules plus Nx module boundaries. The depConstraints below ARE the package DAG
// of DEVELOPERS.md: a package may import only the tags listed for it, so an upward edge (e.g.
// tensor importing autograd) fails `npm run lint` and CI.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

const allow = (tag, deps) => ({ sourceTag: `scope:${tag}`, onlyDependOnLibsWithTags: deps.map((d) => `scope:${d}`) });

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/.nx/**', '**/*.wasm', '**/generated/**', 'bench/.data/**'] },
  ...nx.configs['flat/base'],
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mts', '**/*.js', '**/*.mjs'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allowCircularSelfDependency: true,
          allow: [],
          depConstraints: [
            allow('tokenizer', []),
            allow('io-safetensors', []),
            allow('tensor', []),
            allow('kernels-wasm', ['tensor']),
            allow('autograd', ['tensor']),
            allow('nn', ['autograd', 'tensor']),
            allow('optim', ['autograd', 'tensor']),
            allow('io-onnx', ['nn', 'autograd', 'tensor']),
            allow('gpt2', ['nn', 'autograd', 'tensor', 'io-safetensors', 'tokenizer']),
            allow('cli', ['gpt2', 'io-onnx', 'optim', 'nn', 'autograd', 'tensor', 'kernels-wasm', 'io-safetensors', 'tokenizer']),
          ],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    // Tests and benchmarks may import any package they list as a devDependency (e.g. optim's XOR test
    // builds an nn.Sequential; gpt2's fine-tune test drives AdamW). The product DAG above still binds
    // every src/ file, and Nx still rejects circular project edges.
    files: ['packages/*/test/**', 'packages/*/bench/**'],
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        { enforceBuildableLibDependency: false, allowCircularSelfDependency: true, depConstraints: [{ sourceTag: '*', onlyDependOnLibsWithTags: ['*'] }] },
      ],
    },
  },
  {
    // Build configs share the repository's one tsup setup (tsup.shared.ts); they are not package code.
    files: ['packages/*/tsup.config.ts'],
    rules: { '@nx/enforce-module-boundaries': 'off' },
  },
];
