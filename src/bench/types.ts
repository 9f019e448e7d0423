// What the bench page measures and hands to the Node runner: plain data only, so it crosses
// from the page to Node as JSON and is written to bench-results/ as is.

/** Which implementation a row measures. */
export type Impl = 'ours' | 'tfjs' | 'ort';

/** Timings of one measured thing: median of the timed repetitions after warm-up. */
export interface Timing {
  /** Median milliseconds per run. */
  medianMs: number;
  /** Every timed run, in order (ms). */
  samplesMs: number[];
}

export interface MatmulRow {
  impl: Impl;
  /** "regtile-8x8", "autotuned (regtile-8x8)", "tf.matMul", "MatMul node"… */
  label: string;
  /** Square size n of the n×n·n×n product. */
  n: number;
  /** null when the row could not run (see `error`). */
  timing: Timing | null;
  /** 2n³ / median time. */
  gflops: number | null;
  error?: string;
}

export interface MlpRow {
  impl: Impl;
  label: string;
  /** One step, waited for before the next (median). */
  step: Timing | null;
  /** Several steps recorded back to back with one wait at the end: ms per step. */
  pipelinedMsPerStep: number | null;
  /** Mean loss after the timed steps (a sanity check that it trains). */
  finalLoss: number | null;
  /** Where a step's time goes: median ms of each phase, each waited for alone (ours only). */
  phasesMs?: Record<string, number>;
  error?: string;
}

/** A "≥ factor× faster than TF.js" check from the issue, timed ours/TF.js alternately. */
export interface TargetCheck {
  what: string;
  /** Timed runs of each side. */
  pairs: number;
  oursMs: number | null;
  tfjsMs: number | null;
  /** tfjsMs / oursMs. */
  speedup: number | null;
  factor: number;
  met: boolean;
}

export interface AdapterReport {
  vendor: string;
  architecture: string;
  device: string;
  description: string;
  isFallbackAdapter: boolean;
  features: string[];
}

export interface BenchReport {
  /** ISO time the page started measuring. */
  startedAt: string;
  userAgent: string;
  adapter: AdapterReport;
  /** Our autotune: chosen variant and the timings it chose from. */
  autotune: { variant: string; source: string; gflops: Record<string, number> } | null;
  sizes: number[];
  matmul: MatmulRow[];
  mlp: { sizes: number[]; B: number; rows: MlpRow[] };
  targets: TargetCheck[];
  /** What was timed and how, in words, for the report. */
  notes: string[];
  /** Wall time of the whole page run. */
  totalSeconds: number;
}
