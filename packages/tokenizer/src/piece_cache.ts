/**
 * Cache of pre-token → token ids, keyed by a range of the input text so that a hit allocates
 * nothing: no substring, no string hashing by the engine (a `Map<string, ids>` spent most of
 * encode's time in `slice` and hashing). Open addressing over typed arrays, which allocate in
 * microseconds (load time matters); cleared whole when 3/4 full, bounding memory.
 */
export class PieceCache {
  private readonly hashes: Int32Array;
  /** Start of the key in `chars` + 1 (0 = empty slot). */
  private readonly keyAt: Int32Array;
  private readonly keyLen: Int32Array;
  /** Start of the ids in `ids`, and their count. */
  private readonly idAt: Int32Array;
  private readonly idLen: Int32Array;
  private chars = new Uint16Array(1 << 16);
  private ids = new Int32Array(1 << 15);
  private charTop = 0;
  private idTop = 0;
  private readonly mask: number;
  private count = 0;

  constructor(bits = 17) {
    const size = 1 << bits;
    this.mask = size - 1;
    this.hashes = new Int32Array(size);
    this.keyAt = new Int32Array(size);
    this.keyLen = new Int32Array(size);
    this.idAt = new Int32Array(size);
    this.idLen = new Int32Array(size);
  }

  /** FNV-1a over the UTF-16 code units of `text[from, to)`. */
  static hash(text: string, from: number, to: number): number {
    let h = 0x811c9dc5 | 0;
    for (let k = from; k < to; k++) h = Math.imul(h ^ text.charCodeAt(k), 0x01000193);
    return h ^ (h >>> 16);
  }

  /**
   * Appends the cached ids of `text[from, to)` to `out` and returns true, or returns false on a
   * miss. `h` is {@link PieceCache.hash} of the range.
   */
  pushIfCached(text: string, from: number, to: number, h: number, out: number[]): boolean {
    const len = to - from;
    const chars = this.chars;
    for (let s = h & this.mask; ; s = (s + 1) & this.mask) {
      const at = this.keyAt[s]! - 1;
      if (at < 0) return false;
      if (this.hashes[s] !== h || this.keyLen[s] !== len) continue;
      let k = 0;
      while (k < len && chars[at + k] === text.charCodeAt(from + k)) k++;
      if (k < len) continue;
      const ids = this.ids;
      const end = this.idAt[s]! + this.idLen[s]!;
      for (let j = this.idAt[s]!; j < end; j++) out.push(ids[j]!);
      return true;
    }
  }

  /** Stores `ids[0, n)` for `text[from, to)` (not already cached) under hash `h`. */
  set(text: string, from: number, to: number, h: number, ids: Int32Array, n: number): void {
    const len = to - from;
    if (this.count >= ((this.mask + 1) * 3) >> 2) this.clear();
    if (this.charTop + len > this.chars.length) this.chars = grow(this.chars, this.charTop + len, (n) => new Uint16Array(n));
    if (this.idTop + n > this.ids.length) this.ids = grow(this.ids, this.idTop + n, (k) => new Int32Array(k));
    let s = h & this.mask;
    while (this.keyAt[s] !== 0) s = (s + 1) & this.mask;
    for (let k = 0; k < len; k++) this.chars[this.charTop + k] = text.charCodeAt(from + k);
    this.keyAt[s] = this.charTop + 1;
    this.keyLen[s] = len;
    this.hashes[s] = h;
    this.charTop += len;
    this.ids.set(ids.subarray(0, n), this.idTop);
    this.idAt[s] = this.idTop;
    this.idLen[s] = n;
    this.idTop += n;
    this.count++;
  }

  clear(): void {
    this.keyAt.fill(0);
    this.charTop = this.idTop = this.count = 0;
  }
}

function grow<T extends Uint16Array | Int32Array>(a: T, need: number, make: (n: number) => T): T {
  let size = a.length * 2;
  while (size < need) size *= 2;
  const b = make(size);
  b.set(a);
  return b;
}
