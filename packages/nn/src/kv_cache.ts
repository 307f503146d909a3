import { cat, keep, ShapeError, type Tensor } from '@gorch/tensor';
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
   * [B, nHead, Tcache + T, headDim]. The caller must not dispose the returned tensors. Throws ShapeError
   * naming the layer and both sizes when B, nHead or headDim differ from what the cache holds.
   */
  append(i: number, k: Tensor, v: Tensor): { k: Tensor; v: Tensor } {
    const layer = this.layers[i];
    if (layer === undefined) throw new ArgumentError(`KVCache: layer ${i} out of range [0, ${this.nLayer})`);
    if (layer.k !== null) {
      // cat would only say the shapes differ; name the cache and both sizes (a cache filled for one
      // batch cannot serve another: start a new one).
      const [b, h, , d] = layer.k.shape;
      if (k.shape[0] !== b) throw new ShapeError(`KVCache: layer ${i} holds batch size ${b}, the new keys have batch size ${k.shape[0]} (use a new KVCache per batch)`);
      if (k.shape[1] !== h || k.shape[3] !== d || v.shape[0] !== b || v.shape[1] !== h) {
        throw new ShapeError(`KVCache: layer ${i} holds keys [${layer.k.shape.join(', ')}], cannot append keys [${k.shape.join(', ')}] / values [${v.shape.join(', ')}]`);
      }
    }
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
