import { cat, keep, type Tensor } from '@gorch/tensor';
import { ArgumentError } from './errors';

/** Keys and values of one attention layer, each [B, nHead, Tcache, headDim]; null before the first step. */
export interface LayerKV {
  k: Tensor | null;
  v: Tensor | null;
}

/**
 * The key/value cache of incremental decoding (Hugging Face `past_key_values`): for every layer the
 * keys and values of all positions seen so far, [B, nHead, Tcache, headDim]. `GPT.forward` appends the
 * new positions and reads the positions offset from {@link KVCache.length}. Its tensors are kept out of
 * `tidy` scopes; call {@link KVCache.dispose} when done. Meant for inference (use under `noGrad`):
 * replaced tensors are disposed as the cache grows.
 */
export class KVCache {
  readonly layers: LayerKV[];
  constructor(readonly nLayer: number) {
    if (!Number.isInteger(nLayer) || nLayer <= 0) throw new ArgumentError(`KVCache: nLayer must be a positive integer, got ${nLayer}`);
    this.layers = Array.from({ length: nLayer }, () => ({ k: null, v: null }));
  }

  /** Number of cached positions (Tcache), 0 when empty. */
  get length(): number {
    const k = this.layers[0].k;
    return k === null ? 0 : k.shape[2];
  }

  /** Number of positions cached for layer `i`. */
  layerLength(i: number): number {
    const k = this.layers[i]?.k;
    return k == null ? 0 : k.shape[2];
  }

  /**
   * Appends `k`, `v` [B, nHead, T, headDim] to layer `i` and returns the full keys and values
   * [B, nHead, Tcache + T, headDim]. The caller must not dispose the returned tensors.
   */
  append(i: number, k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
    const layer = this.layers[i];
    if (layer === undefined) throw new ArgumentError(`KVCache: layer ${i} out of range [0, ${this.nLayer})`);
    const nk = layer.k === null ? k : cat([layer.k, k], 2);
    const nv = layer.v === null ? v : cat([layer.v, v], 2);
    layer.k?.dispose();
    layer.v?.dispose();
    layer.k = keep(nk);
    layer.v = keep(nv);
    return { k: nk, v: nv };
  }

  /** Frees every cached tensor; the cache is empty afterwards. */
  dispose(): void {
    for (const l of this.layers) {
      l.k?.dispose();
      l.v?.dispose();
      l.k = null;
      l.v = null;
    }
  }

  [Symbol.dispose](): void {
    this.dispose();
  }
}
