/**
 * Open-addressing hash map from a pair of token ids to its merge rank. Keys are two int32s, so the
 * hot lookup allocates nothing and never builds a string (the usual `"a b"` Map key costs several
 * times more).
 */
export class PairTable {
  private readonly slots: Int32Array; // [a, b, rank] per slot; a = -1 marks an empty slot
  private readonly mask: number;

  constructor(capacity: number) {
    let size = 16;
    while (size < capacity * 2) size *= 2;
    this.mask = size - 1;
    this.slots = new Int32Array(size * 3).fill(-1);
  }

  private static hash(a: number, b: number): number {
    const h = Math.imul(a, 0x9e3779b1) ^ Math.imul(b + 0x7f4a7c15, 0x85ebca77);
    return h ^ (h >>> 15);
  }

  /** Sets the rank of (a, b) unless the pair already has one (the first merge listed wins). */
  setIfAbsent(a: number, b: number, rank: number): void {
    const s = this.slots;
    for (let i = PairTable.hash(a, b) & this.mask; ; i = (i + 1) & this.mask) {
      const k = i * 3;
      if (s[k] === -1) {
        s[k] = a;
        s[k + 1] = b;
        s[k + 2] = rank;
        return;
      }
      if (s[k] === a && s[k + 1] === b) return;
    }
  }

  /** Rank of the merge (a, b), or -1 when the pair never merges. */
  get(a: number, b: number): number {
    const s = this.slots;
    for (let i = PairTable.hash(a, b) & this.mask; ; i = (i + 1) & this.mask) {
      const k = i * 3;
      const ka = s[k]!;
      if (ka === a && s[k + 1] === b) return s[k + 2]!;
      if (ka === -1) return -1;
    }
  }
}
