import { TokenizerError, UnknownTokenIdError } from './errors';

const what = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'an array' : typeof v === 'string' ? JSON.stringify(v) : typeof v);

/**
 * Throws `TokenizerError` `'BAD_ARGUMENT'` unless `allowed` is undefined, `'all'` or an array of strings
 * (a string such as `'some'` would otherwise be iterated as its characters).
 */
export function checkAllowedSpecial(allowed: unknown, op: string): void {
  if (allowed === undefined || allowed === 'all') return;
  if (!Array.isArray(allowed)) throw new TokenizerError('BAD_ARGUMENT', `${op}: options.allowedSpecial must be 'all' or an array of special-token strings, got ${what(allowed)}`);
  for (let i = 0; i < allowed.length; i++) {
    if (typeof allowed[i] !== 'string') throw new TokenizerError('BAD_ARGUMENT', `${op}: options.allowedSpecial[${i}] must be a string, got ${what(allowed[i])}`);
  }
}

/**
 * O(1) check that `ids` is an array or typed array (a number or a string would otherwise decode to
 * `''` or to garbage). Per-element checks stay in the decode loop.
 */
export function checkIdList(ids: unknown, op: string): void {
  if (ids === null || typeof ids !== 'object' || typeof (ids as { length?: unknown }).length !== 'number') {
    throw new TokenizerError('BAD_ARGUMENT', `${op}: argument 'ids' must be an array or typed array of token ids, got ${what(ids)}`);
  }
}

/** The error for `ids[k]` that failed the decode loop's range test: a type error or an unknown id. */
export function badId(id: unknown, k: number, vocabSize: number, op: string): TokenizerError {
  if (typeof id !== 'number') return new TokenizerError('BAD_ARGUMENT', `${op}: ids[${k}] must be a number, got ${what(id)}`);
  return new UnknownTokenIdError(id, vocabSize);
}
