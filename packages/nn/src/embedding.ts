import { DtypeError, embedding, type Tensor } from '@gorch/tensor';
import { checkSize } from './linear';
import { constant, normal, type InitOptions } from './init';
import { Module } from './module';

/**
 * A lookup table (torch.nn.Embedding): `weight` [numEmbeddings, embeddingDim], initialised N(0, 1)
 * like PyTorch. Indices int32 of any shape S → float32 [...S, embeddingDim]. The gradient of a row
 * used several times is the sum of its uses.
 */
export class Embedding extends Module {
  constructor(readonly numEmbeddings: number, readonly embeddingDim: number, options: InitOptions = {}) {
    super();
    checkSize(numEmbeddings, 'Embedding numEmbeddings');
    checkSize(embeddingDim, 'Embedding embeddingDim');
    const shape = [numEmbeddings, embeddingDim];
    this.registerParameter('weight', options.skipInit ? constant(shape, 0) : normal(shape, 1, 0, options.generator));
  }

  /** Table [numEmbeddings, embeddingDim]. */
  get weight(): Tensor {
    return this.getParameter('weight');
  }

  /**
   * ids int32 [...S] → [...S, embeddingDim]. Throws DtypeError for non-int32 ids and IndexError naming
   * the first id outside [0, numEmbeddings) (checked before the lookup, so nothing is read out of range).
   */
  forward(ids: Tensor): Tensor {
    if (ids.dtype !== 'int32') throw new DtypeError(`Embedding: ids must be int32, got ${ids.dtype}`);
    return embedding(ids, this.weight);
  }
}
