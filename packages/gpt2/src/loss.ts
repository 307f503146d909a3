import { crossEntropy, type GPT } from '@gorch/nn';
import { tensor, type Tensor } from '@gorch/tensor';
import { GenerateError } from './errors';

function checkTokens(model: GPT, seq: readonly number[], what: string): void {
  const V = model.config.vocabSize;
  if (seq.length < 2) throw new GenerateError(`${what}: a sequence needs at least 2 tokens (got ${seq.length})`);
  if (seq.length - 1 > model.config.nPositions) {
    throw new GenerateError(`${what}: a sequence of ${seq.length} tokens needs ${seq.length - 1} positions, the model has ${model.config.nPositions}`);
  }
  seq.forEach((id, i) => {
    if (!Number.isInteger(id) || id < 0 || id >= V) throw new GenerateError(`${what}: token id ${id} at position ${i} is outside [0, ${V})`);
  });
}

/**
 * Next-token cross-entropy of a causal LM (HF `GPT2LMHeadModel(labels=tokens)`): a forward on
 * `tokens[:-1]`, each position scored against the following token `tokens[1:]`, averaged. Returns a
 * scalar with autograd attached (call `.backward()`).
 *
 * @param tokens at least 2 ids, at most nPositions + 1
 * @throws GenerateError for a too short or too long sequence or an id outside the vocabulary
 */
export function causalLMLoss(model: GPT, tokens: readonly number[]): Tensor {
  return causalLMLossBatch(model, [tokens]);
}

/**
 * Batched {@link causalLMLoss}: sequences of different lengths are right-padded; padded positions
 * are ignored (HF `labels = -100`), so the result is the mean over every real next-token target of
 * every sequence. Causal attention keeps padding from influencing real positions.
 *
 * @param batch one or more sequences of at least 2 ids
 * @throws GenerateError (see {@link causalLMLoss}) or for an empty batch
 */
export function causalLMLossBatch(model: GPT, batch: readonly (readonly number[])[]): Tensor {
  if (batch.length === 0) throw new GenerateError('causalLMLoss: empty batch');
  batch.forEach((s, i) => checkTokens(model, s, `causalLMLoss (sequence ${i})`));
  const T = Math.max(...batch.map((s) => s.length)) - 1;
  const B = batch.length;
  const inputs = new Int32Array(B * T); // pad id 0: masked out of the loss and invisible to real positions
  const targets = new Int32Array(B * T).fill(-100);
  batch.forEach((s, b) => {
    for (let t = 0; t < s.length - 1; t++) {
      inputs[b * T + t] = s[t];
      targets[b * T + t] = s[t + 1];
    }
  });
  const ids = tensor(inputs, { shape: [B, T], dtype: 'int32' });
  const tgt = tensor(targets, { shape: [B, T], dtype: 'int32' });
  const logits = model.forward(ids);
  const loss = crossEntropy(logits, tgt, { ignoreIndex: -100 });
  ids.dispose();
  tgt.dispose();
  logits.dispose();
  return loss;
}
