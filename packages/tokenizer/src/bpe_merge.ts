import type { PairTable } from './pair_table';

/**
 * Byte-pair merging of one pre-token, in place. `sym[0..len)` holds the ids of the piece's byte
 * tokens on entry and its final token ids on exit; returns the new length. Rule (OpenAI's
 * `encoder.py` / tiktoken `byte_pair_merge`): repeatedly merge the adjacent pair of lowest rank,
 * the leftmost one on a tie, until no adjacent pair has a rank. `mergedId[rank]` is the id the
 * merge produces.
 */
export function bpeMerge(sym: Int32Array, len: number, pairs: PairTable, mergedId: Int32Array): number {
  return len <= SHORT_PIECE ? mergeShort(sym, len, pairs, mergedId) : mergeLong(sym, len, pairs, mergedId);
}

// Below this length a rescan of a small rank array beats any data structure.
const SHORT_PIECE = 48;
const NONE = 0x7fffffff;
const ranks = new Int32Array(SHORT_PIECE);

function mergeShort(sym: Int32Array, len: number, pairs: PairTable, mergedId: Int32Array): number {
  for (let k = 0; k + 1 < len; k++) {
    const r = pairs.get(sym[k]!, sym[k + 1]!);
    ranks[k] = r < 0 ? NONE : r;
  }
  while (len > 1) {
    let best = NONE;
    let at = -1;
    for (let k = 0; k + 1 < len; k++) {
      if (ranks[k]! < best) {
        best = ranks[k]!;
        at = k;
      }
    }
    if (at < 0) break;
    sym[at] = mergedId[best]!;
    for (let k = at + 1; k + 1 < len; k++) {
      sym[k] = sym[k + 1]!;
      ranks[k] = ranks[k + 1]!;
    }
    len--;
    if (at > 0) {
      const r = pairs.get(sym[at - 1]!, sym[at]!);
      ranks[at - 1] = r < 0 ? NONE : r;
    }
    if (at + 1 < len) {
      const r = pairs.get(sym[at]!, sym[at + 1]!);
      ranks[at] = r < 0 ? NONE : r;
    }
  }
  return len;
}

/**
 * O(n log n) merging for long pieces (a million repeated characters is one piece): a doubly linked
 * list of symbols and a binary min-heap of candidate pairs keyed by (rank, position), with stale
 * entries dropped when popped. A popped pair is current iff the pair at that position still has
 * that rank, because each rank names exactly one pair of ids and a merged symbol never reverts.
 */
function mergeLong(sym: Int32Array, len: number, pairs: PairTable, mergedId: Int32Array): number {
  const next = new Int32Array(len);
  const prev = new Int32Array(len);
  for (let k = 0; k < len; k++) {
    next[k] = k + 1;
    prev[k] = k - 1;
  }
  const heap = new MinHeap(len);
  for (let k = 0; k + 1 < len; k++) {
    const r = pairs.get(sym[k]!, sym[k + 1]!);
    if (r >= 0) heap.push(r, k);
  }
  while (heap.size > 0) {
    const key = heap.pop();
    const rank = Math.floor(key / POS_SPAN);
    const at = key - rank * POS_SPAN;
    if (sym[at]! < 0) continue;
    const right = next[at]!;
    if (right >= len || pairs.get(sym[at]!, sym[right]!) !== rank) continue;
    sym[at] = mergedId[rank]!;
    sym[right] = -1;
    const after = next[right]!;
    next[at] = after;
    if (after < len) {
      prev[after] = at;
      const r = pairs.get(sym[at]!, sym[after]!);
      if (r >= 0) heap.push(r, at);
    }
    const before = prev[at]!;
    if (before >= 0) {
      const r = pairs.get(sym[before]!, sym[at]!);
      if (r >= 0) heap.push(r, before);
    }
  }
  let out = 0;
  for (let k = 0; k < len; k = next[k]!) sym[out++] = sym[k]!;
  return out;
}

const POS_SPAN = 2 ** 32;

/** Binary min-heap of (rank, position) packed exactly into one double: rank * 2^32 + position. */
class MinHeap {
  private keys: Float64Array;
  size = 0;
  constructor(capacity: number) {
    this.keys = new Float64Array(Math.max(16, capacity));
  }
  push(rank: number, pos: number): void {
    if (this.size === this.keys.length) {
      const grown = new Float64Array(this.keys.length * 2);
      grown.set(this.keys);
      this.keys = grown;
    }
    const keys = this.keys;
    const key = rank * POS_SPAN + pos;
    let i = this.size++;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (keys[parent]! <= key) break;
      keys[i] = keys[parent]!;
      i = parent;
    }
    keys[i] = key;
  }
  pop(): number {
    const keys = this.keys;
    const top = keys[0]!;
    const last = keys[--this.size]!;
    let i = 0;
    const n = this.size;
    for (;;) {
      let child = 2 * i + 1;
      if (child >= n) break;
      if (child + 1 < n && keys[child + 1]! < keys[child]!) child++;
      if (keys[child]! >= last) break;
      keys[i] = keys[child]!;
      i = child;
    }
    keys[i] = last;
    return top;
  }
}
