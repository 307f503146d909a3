import { GorchError } from '@gorch/tensor';
import type { GroupOptions, Optimizer } from './optimizer';

/** A schedule in closed form: the learning rate of a group at `epoch`, given the group's initial lr. */
export type Schedule = (epoch: number, initialLr: number) => number;

/**
 * A learning-rate scheduler (torch.optim.lr_scheduler): sets every group's `lr` to
 * `schedule(epoch, group.initialLr)`. Construction applies epoch 0; call {@link LRScheduler.step} after
 * each `optimizer.step()` (once per epoch or per iteration, as the schedule is meant).
 */
export class LRScheduler {
  /** Number of `step()` calls so far (torch `last_epoch`). */
  lastEpoch = 0;

  constructor(readonly optimizer: Optimizer<GroupOptions>, readonly schedule: Schedule) {
    this.apply();
  }

  /** Advances one epoch and sets every group's lr. */
  step(): void {
    this.lastEpoch++;
    this.apply();
  }

  /** The learning rate of every group, as last set (torch `get_last_lr`). */
  getLastLr(): number[] {
    return this.optimizer.paramGroups.map((g) => g.lr);
  }

  private apply(): void {
    for (const g of this.optimizer.paramGroups) g.lr = this.schedule(this.lastEpoch, g.initialLr);
  }
}

function check(cond: boolean, message: string): void {
  if (!cond) throw new GorchError('E_ARG', message);
}

/** lr = initialLr · factor(epoch) (torch LambdaLR). */
export class LambdaLR extends LRScheduler {
  constructor(optimizer: Optimizer<GroupOptions>, factor: (epoch: number) => number) {
    super(optimizer, (e, lr0) => lr0 * factor(e));
  }
}

/** lr = initialLr · γ^⌊epoch / stepSize⌋ (torch StepLR; γ default 0.1). Throws `E_ARG` for bad options. */
export class StepLR extends LRScheduler {
  constructor(optimizer: Optimizer<GroupOptions>, options: { stepSize: number; gamma?: number }) {
    const { stepSize, gamma = 0.1 } = options;
    check(Number.isInteger(stepSize) && stepSize > 0, `StepLR: stepSize must be a positive integer, got ${stepSize}`);
    check(Number.isFinite(gamma) && gamma >= 0, `StepLR: gamma must be a finite number ≥ 0, got ${gamma}`);
    super(optimizer, (e, lr0) => lr0 * gamma ** Math.floor(e / stepSize));
  }
}

/**
 * lr = etaMin + (initialLr − etaMin) · (1 + cos(π · epoch / tMax)) / 2 (Loshchilov & Hutter 2017,
 * SGDR without restarts; the closed form of torch CosineAnnealingLR, which keeps following the cosine
 * after tMax). etaMin default 0. Throws `E_ARG` for bad options.
 */
export class CosineAnnealingLR extends LRScheduler {
  constructor(optimizer: Optimizer<GroupOptions>, options: { tMax: number; etaMin?: number }) {
    const { tMax, etaMin = 0 } = options;
    check(Number.isInteger(tMax) && tMax > 0, `CosineAnnealingLR: tMax must be a positive integer, got ${tMax}`);
    check(Number.isFinite(etaMin) && etaMin >= 0, `CosineAnnealingLR: etaMin must be a finite number ≥ 0, got ${etaMin}`);
    super(optimizer, (e, lr0) => etaMin + ((lr0 - etaMin) * (1 + Math.cos((Math.PI * e) / tMax))) / 2);
  }
}

/** Options of {@link linearWarmupCosine}. */
export interface WarmupCosineOptions {
  /** Steps of linear warm-up from 0 to the initial lr. */
  warmupSteps: number;
  /** Total training steps; the cosine reaches 0 here. */
  totalSteps: number;
  /** Cosine periods over the decay phase, default 0.5 (a single half-wave down to 0). */
  numCycles?: number;
}

/**
 * Linear warm-up then cosine decay, the schedule of Hugging Face `get_cosine_schedule_with_warmup`:
 * factor(s) = s / max(1, warmupSteps) while s < warmupSteps, else
 * max(0, (1 + cos(2π · numCycles · p)) / 2) with p = (s − warmupSteps) / max(1, totalSteps − warmupSteps).
 * lr = initialLr · factor. Call `step()` once per optimizer step. Throws `E_ARG` for bad options.
 */
export function linearWarmupCosine(optimizer: Optimizer<GroupOptions>, options: WarmupCosineOptions): LambdaLR {
  const { warmupSteps, totalSteps, numCycles = 0.5 } = options;
  check(Number.isInteger(warmupSteps) && warmupSteps >= 0, `linearWarmupCosine: warmupSteps must be an integer ≥ 0, got ${warmupSteps}`);
  check(Number.isInteger(totalSteps) && totalSteps >= warmupSteps, `linearWarmupCosine: totalSteps must be an integer ≥ warmupSteps, got ${totalSteps}`);
  check(Number.isFinite(numCycles) && numCycles > 0, `linearWarmupCosine: numCycles must be > 0, got ${numCycles}`);
  return new LambdaLR(optimizer, (s) => {
    if (s < warmupSteps) return s / Math.max(1, warmupSteps);
    const progress = (s - warmupSteps) / Math.max(1, totalSteps - warmupSteps);
    return Math.max(0, 0.5 * (1 + Math.cos(Math.PI * numCycles * 2 * progress)));
  });
}
