/**
 * Incremental decoding of token ids (see `BPETokenizer.streamingDecoder`). WHATWG `TextDecoder` in
 * stream mode holds back an incomplete UTF-8 sequence and replaces invalid ones exactly as the
 * one-shot decode does, so the concatenated output equals `decode(all ids)`.
 */
export class StreamingDecoder {
  private readonly utf8 = new TextDecoder('utf-8', { ignoreBOM: true });
  constructor(private readonly bytesOf: (id: number) => Uint8Array) {}

  /** Adds one id; returns the newly completed text (possibly `''`). Throws `UnknownTokenIdError`. */
  push(id: number): string {
    return this.utf8.decode(this.bytesOf(id), { stream: true });
  }

  /** Ends the stream: returns U+FFFD for a held-back incomplete sequence (else `''`) and resets. */
  flush(): string {
    return this.utf8.decode();
  }
}
