/**
 * GPT-2's reversible byte ↔ unicode map (`bytes_to_unicode` in OpenAI's `encoder.py`): printable
 * Latin-1 bytes map to themselves and the other 68 bytes to U+0100.., so every byte string becomes a
 * string of visible characters and vocab.json can hold arbitrary bytes as JSON text.
 */
export function bytesToUnicode(): string[] {
  const keep: number[] = [];
  for (let b = 0x21; b <= 0x7e; b++) keep.push(b);
  for (let b = 0xa1; b <= 0xac; b++) keep.push(b);
  for (let b = 0xae; b <= 0xff; b++) keep.push(b);
  const table = new Array<string>(256);
  const kept = new Set(keep);
  let next = 0;
  for (let b = 0; b < 256; b++) {
    table[b] = String.fromCharCode(kept.has(b) ? b : 256 + next++);
  }
  return table;
}

/** The inverse of {@link bytesToUnicode}: char → byte. */
export function unicodeToBytes(): Map<string, number> {
  const map = new Map<string, number>();
  bytesToUnicode().forEach((ch, b) => map.set(ch, b));
  return map;
}
