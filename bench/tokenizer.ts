// Cross-library tokenizer benchmark: see packages/tokenizer/bench/tokenizer.bench.ts.
//   npx nx run tokenizer:build && npx tsx bench/tokenizer.ts [rounds]
import '../packages/tokenizer/bench/tokenizer.bench';
