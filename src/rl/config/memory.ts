// A memory estimate of training a planner of some settings, checked before anything is
// allocated, so an oversized model is refused with its size rather than failing late inside a
// typed-array or GPU allocation. The estimate follows the pools of params.ts and acts.ts:
// parameters, gradients and both AdamW moments, plus activations and backward scratch for the
// larger of the stage batches (SFT prompts, GRPO G × prompts).
import { modelDims, type PlannerConfig } from '../model/config';
import { paramLayout } from '../model/params';

/** The most a training run may need: room for the 'paper-like' preset (≈ 2.7 GiB), refusing
 * shapes that exhaust a laptop (C=2048, L=8 needs ≈ 5 GiB). */
export const MAX_TRAINING_BYTES = 4 * 1024 ** 3;
/** Vocabulary size assumed by the estimate (the frozen vocabulary holds ~1.2 k tokens). */
export const ESTIMATE_VOCAB = 2048;

export interface MemoryEstimate {
  /** Parameters, gradients and both AdamW moments. */
  modelBytes: number;
  /** Activations and backward scratch for batch `batch`. */
  activationBytes: number;
  totalBytes: number;
  parameters: number;
  batch: number;
}

export function estimateTrainingMemory(
  config: PlannerConfig,
  batch: number,
  V = ESTIMATE_VOCAB,
): MemoryEstimate {
  const d = modelDims(config, V);
  const parameters = paramLayout(d).entries.reduce((n, e) => n + e.size, 0);
  const BT = batch * d.T;
  const N = batch * d.E;
  const attention = batch * d.NH * d.T * d.T;
  const elements = N * d.W * d.C + 3 * N * d.C + 2 * N * d.BH + N * (d.CROP + d.BF + d.W);
  const perLayer = BT * (8 * d.C + 2 * d.FC + 4) + attention;
  const top = BT * (6 * d.C + 2 * V + 8);
  const scratch = BT * (7 * d.C + 2 * d.FC + V + 1) + attention;
  const activations = elements + d.L * perLayer + top + scratch;
  const modelBytes = 4 * 4 * parameters;
  const activationBytes = 4 * activations;
  return {
    modelBytes,
    activationBytes,
    totalBytes: modelBytes + activationBytes,
    parameters,
    batch,
  };
}

export function formatBytes(n: number): string {
  if (n >= 1024 ** 3) return `${(n / 1024 ** 3).toFixed(1)} GiB`;
  if (n >= 1024 ** 2) return `${(n / 1024 ** 2).toFixed(1)} MiB`;
  return `${(n / 1024).toFixed(1)} KiB`;
}
