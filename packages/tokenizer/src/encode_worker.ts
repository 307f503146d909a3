// Worker-thread side of encodeBatch: rebuilds the tokenizer from the model arrays once, then
// answers each job with all ids in one transferable buffer.
import { parentPort } from 'node:worker_threads';
import { BPETokenizer } from './bpe_tokenizer';
import type { BPEModelData } from './model_data';

let tok: BPETokenizer | undefined;

parentPort?.on('message', (msg: { type: string; data?: BPEModelData; texts?: string[]; allowedSpecial?: 'all' | string[] }) => {
  if (msg.type === 'init') {
    tok = new BPETokenizer(msg.data!);
    return;
  }
  try {
    const all = msg.texts!.map((t) => tok!.encode(t, { allowedSpecial: msg.allowedSpecial }));
    const lengths = Int32Array.from(all, (ids) => ids.length);
    const flat = new Int32Array(lengths.reduce((a, b) => a + b, 0));
    let at = 0;
    for (const ids of all) {
      flat.set(ids, at);
      at += ids.length;
    }
    parentPort!.postMessage({ flat, lengths }, [flat.buffer, lengths.buffer]);
  } catch (err) {
    parentPort!.postMessage({ error: String((err as Error).message ?? err) });
  }
});
