// The record the trainer emits after every update, in every stage. The CLI writes one per
// line (JSON lines); the trainer worker streams them to the UI in small batches; the run
// history stores them. Plain data only, so it crosses workers and survives JSON.

import type { Stage } from './stage-list';

export type { Stage };

export interface UpdateMetrics {
  /** The stage's place in STAGE_LIST (stage-list.ts). */
  stage: Stage;
  /** Update index within the stage, from 1. */
  update: number;
  /** Seconds since the run started (wall clock). */
  elapsed: number;
  /** Training loss of the update (SFT cross-entropy, or the GRPO surrogate). */
  loss: number;
  /** Mean reward over the sampled forecasts (stages 1 and 2; NaN for stage 0). */
  reward: number;
  /** Mean of each reward component over the samples, by name (e.g. alignment, format). */
  rewardComponents: Record<string, number>;
  /** Mean reward contribution of each horizon step t = 1..H (index t − 1). */
  rewardPerStep: number[];
  /** Low-variance (k3) KL estimate to the frozen reference policy. */
  kl: number;
  /** Mean token entropy of the policy on the sampled tokens. */
  entropy: number;
  /** Fraction of tokens whose ratio was clipped (mean over the update's gradient steps). */
  clipFraction: number;
  /** Mean |ρ − 1| over the update's gradient steps (GRPO stages that report it). */
  ratioDeviation?: number;
  /** Global gradient norm before clipping. */
  gradNorm: number;
  learningRate: number;
  tokensPerSecond: number;
  updatesPerSecond: number;
  /** Evaluation results when an evaluation ran after this update, by suite → metric → value. */
  evaluation?: Record<string, Record<string, number>>;
}

/** Names of the scalar series a dashboard can plot from UpdateMetrics. */
export const SCALAR_SERIES = [
  'loss',
  'reward',
  'kl',
  'entropy',
  'clipFraction',
  'gradNorm',
  'learningRate',
  'tokensPerSecond',
  'updatesPerSecond',
] as const;
export type ScalarSeries = (typeof SCALAR_SERIES)[number];
