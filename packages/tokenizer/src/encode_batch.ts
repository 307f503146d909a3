import type { BPETokenizer, EncodeOptions } from './bpe_tokenizer';
import { checkAllowedSpecial } from './check_args';
import { TokenizerError } from './errors';

/** Below this many UTF-16 code units in total a batch is encoded in a plain loop: starting a
 * worker costs tens of milliseconds, which only large batches repay. */
export const BATCH_WORKER_THRESHOLD = 1 << 20;

interface WorkerLike {
  postMessage(message: unknown): void;
  once(event: 'message', listener: (value: any) => void): void;
  once(event: 'error', listener: (err: Error) => void): void;
  ref(): void;
  unref(): void;
  terminate(): Promise<number>;
}

interface Pool {
  workers: WorkerLike[];
}

const pools = new WeakMap<BPETokenizer, Promise<Pool | null>>();

async function startPool(tok: BPETokenizer): Promise<Pool | null> {
  const isNode = typeof process !== 'undefined' && typeof process.versions?.node === 'string';
  if (!isNode) return null;
  const threadsModule = 'node:worker_threads';
  const osModule = 'node:os';
  const { Worker } = await import(/* @vite-ignore */ threadsModule);
  const os = await import(/* @vite-ignore */ osModule);
  const cpus: number = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const count = Math.max(1, Math.min(cpus - 1, 7)); // the calling thread takes a share too
  // Running from TypeScript source (tests, tsx) the worker is a .ts file that needs tsx's loader.
  const here = import.meta.url;
  const fromSource = here.endsWith('.ts');
  const file = new URL(fromSource ? './encode_worker.ts' : './encode_worker.js', here);
  const bootSource = `import('tsx/esm/api').then((tsx) => { tsx.register(); return import(${JSON.stringify(file.href)}); });`;
  const workers: WorkerLike[] = [];
  for (let i = 0; i < count; i++) {
    const w: WorkerLike = fromSource ? new Worker(bootSource, { eval: true }) : new Worker(file);
    w.postMessage({ type: 'init', data: tok.modelData });
    w.unref();
    workers.push(w);
  }
  return { workers };
}

function run(w: WorkerLike, texts: string[], options: EncodeOptions | undefined): Promise<number[][]> {
  return new Promise((resolve, reject) => {
    w.ref();
    w.once('error', reject);
    w.once('message', (msg: { error?: string; flat: Int32Array; lengths: Int32Array }) => {
      w.unref();
      if (msg.error) return reject(new TokenizerError('WORKER_FAILED', msg.error));
      const out: number[][] = [];
      let at = 0;
      for (const n of msg.lengths) {
        out.push(Array.from(msg.flat.subarray(at, at + n)));
        at += n;
      }
      resolve(out);
    });
    w.postMessage({ type: 'encode', texts, allowedSpecial: options?.allowedSpecial });
  });
}

/** See `BPETokenizer.encodeBatch`. */
export async function encodeBatch(tok: BPETokenizer, texts: readonly string[], options?: EncodeOptions): Promise<number[][]> {
  if (!Array.isArray(texts)) throw new TokenizerError('BAD_ARGUMENT', 'encodeBatch expects an array of strings');
  // Checked here, before any worker gets the job, so a bad option is one synchronous-looking rejection.
  checkAllowedSpecial(options?.allowedSpecial, 'encodeBatch');
  let total = 0;
  for (let i = 0; i < texts.length; i++) {
    if (typeof texts[i] !== 'string') throw new TokenizerError('BAD_ARGUMENT', `encodeBatch: texts[${i}] is ${typeof texts[i]}, not a string`);
    total += texts[i]!.length;
  }
  const loop = (): number[][] => texts.map((t) => tok.encode(t, options));
  if (total < BATCH_WORKER_THRESHOLD || texts.length < 2) return loop();
  let pending = pools.get(tok);
  if (!pending) pools.set(tok, (pending = startPool(tok).catch(() => null)));
  const pool = await pending;
  if (!pool) return loop();
  // Contiguous groups of about equal text length keep the output order trivial.
  const shares = pool.workers.length + 1;
  const groups: string[][] = [[]];
  let acc = 0;
  for (const t of texts) {
    if (acc >= (total * groups.length) / shares && groups.length < shares) groups.push([]);
    groups[groups.length - 1]!.push(t);
    acc += t.length;
  }
  const jobs = groups.slice(1).map((g, i) => run(pool.workers[i]!, g, options));
  const mine = groups[0]!.map((t) => tok.encode(t, options));
  const theirs = await Promise.all(jobs);
  return mine.concat(...theirs);
}

/** Stops the worker threads `encodeBatch` started for `tok` (they never keep a process alive). */
export async function disposeWorkers(tok: BPETokenizer): Promise<void> {
  const pending = pools.get(tok);
  pools.delete(tok);
  const pool = pending ? await pending : null;
  if (pool) await Promise.all(pool.workers.map((w) => w.terminate()));
}
