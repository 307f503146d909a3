import type { GPT } from '@gorch/nn';
import { tidy } from '@gorch/tensor';
import { GenerateError } from './errors';
import { causalLMLossBatch } from './loss';

/** What {@link fineTune} needs from an optimizer (e.g. `@gorch/optim`'s AdamW over `model.parameters()`). */
export interface OptimizerLike {
  /** Applies one update from the parameters' `.grad`. */
  step(): void;
  /** Clears the parameters' gradients. */
  zeroGrad(): void;
}

/** Options of {@link fineTune}. */
export interface FineTuneOptions {
  /** Maximum optimizer steps. */
  steps: number;
  /** Stop early once the loss is at or below this value (checked before each step). */
  targetLoss?: number;
  /** Stop early when it returns true (checked after each step, e.g. "greedy now completes the prompt"). */
  until?: (step: number, loss: number) => boolean;
  /** Called with the loss of each step. */
  onStep?: (step: number, loss: number) => void;
}

/**
 * Full-batch fine-tuning with the causal LM loss: each step computes
 * {@link causalLMLossBatch}(model, sequences), back-propagates, and calls `optimizer.step()`. The
 * model is in train mode during the loop and back in eval mode afterwards.
 *
 * @returns the loss before each step that was taken
 * @throws GenerateError for bad sequences or options
 */
export function fineTune(model: GPT, sequences: readonly (readonly number[])[], optimizer: OptimizerLike, options: FineTuneOptions): number[] {
  if (!Number.isInteger(options.steps) || options.steps < 0) throw new GenerateError(`fineTune: steps must be an integer >= 0, got ${options.steps}`);
  const losses: number[] = [];
  model.train();
  try {
    for (let step = 0; step < options.steps; step++) {
      optimizer.zeroGrad();
      // backward inside the tidy that built the graph; the optimizer's own tensors stay outside it
      let loss = NaN;
      tidy(() => {
        const l = causalLMLossBatch(model, sequences);
        loss = l.item();
        if (Number.isFinite(loss) && !(options.targetLoss !== undefined && loss <= options.targetLoss)) l.backward();
      });
      if (!Number.isFinite(loss)) throw new GenerateError(`fineTune: loss became ${loss} at step ${step}`);
      losses.push(loss);
      options.onStep?.(step, loss);
      if (options.targetLoss !== undefined && loss <= options.targetLoss) break;
      optimizer.step();
      if (options.until?.(step, loss)) break;
    }
  } finally {
    optimizer.zeroGrad();
    model.eval();
  }
  return losses;
}
