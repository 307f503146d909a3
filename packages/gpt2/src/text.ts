import type { GPT } from '@gorch/nn';
import { generateTokens } from './generate';
import type { GenerateConfig } from './sampling';

/**
 * What text generation needs from a tokenizer; `@gorch/tokenizer`'s `BPETokenizer` is one.
 * `streamingDecoder().push(id)` returns the text completed by that id (holding back a partial
 * UTF-8 sequence), `flush()` what is left.
 */
export interface TextTokenizer {
  encode(text: string): number[];
  decode(ids: ArrayLike<number>): string;
  streamingDecoder(): { push(id: number): string; flush(): string };
}

/**
 * The text pieces of a continuation of `prompt`, each yielded as soon as it is valid UTF-8 (a
 * byte-level BPE token can end inside a multi-byte character). The stop token, when hit, ends the
 * stream and is not decoded (it is usually `<|endoftext|>`). Concatenated, the pieces equal
 * `tokenizer.decode(newIds)`.
 */
export function* generateTextPieces(model: GPT, tokenizer: TextTokenizer, prompt: string, cfg: GenerateConfig): Generator<string, void, undefined> {
  const decoder = tokenizer.streamingDecoder();
  for (const id of generateTokens(model, tokenizer.encode(prompt), cfg)) {
    if (id === cfg.stopToken) break;
    const piece = decoder.push(id);
    if (piece !== '') yield piece;
  }
  const rest = decoder.flush();
  if (rest !== '') yield rest;
}

/**
 * Generates a continuation of `prompt` and returns the prompt followed by it. `onText`, when given,
 * receives each piece as it becomes valid UTF-8 (see {@link generateTextPieces}).
 * @throws GenerateError (see `generateTokens`), and the tokenizer's errors
 */
export function generateText(model: GPT, tokenizer: TextTokenizer, prompt: string, cfg: GenerateConfig, onText?: (piece: string) => void): string {
  let out = prompt;
  for (const piece of generateTextPieces(model, tokenizer, prompt, cfg)) {
    onText?.(piece);
    out += piece;
  }
  return out;
}

/**
 * {@link generateTextPieces} as an async iterator that yields to the event loop between tokens, so a
 * server or UI stays responsive: `for await (const piece of streamText(...)) process.stdout.write(piece)`.
 */
export async function* streamText(model: GPT, tokenizer: TextTokenizer, prompt: string, cfg: GenerateConfig): AsyncGenerator<string, void, undefined> {
  for (const piece of generateTextPieces(model, tokenizer, prompt, cfg)) {
    yield piece;
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
}
