// Repetition policy shared by every measurement: warm-up runs (which pay shader compilation
// and first-dispatch costs), then timed runs until both a minimum count and a time budget are
// met, capped at a maximum count. Each run must resolve only once the GPU work has finished.

import type { Timing } from './types';

export interface RepeatOptions {
  /** Untimed runs first. */
  warmup: number;
  /** Always time at least this many runs. */
  minReps: number;
  /** Never time more than this many runs. */
  maxReps: number;
  /** Stop adding runs beyond minReps once this much time has been spent timing. */
  budgetMs: number;
  /** Stop even short of minReps (after one run) once this much has been spent: slow rows. */
  hardBudgetMs: number;
}

export const DEFAULT_REPEAT: RepeatOptions = {
  warmup: 1,
  minReps: 3,
  maxReps: 10,
  budgetMs: 1500,
  hardBudgetMs: 6000,
};

/** The median of a non-empty list (the mean of the middle two for an even count). */
export function median(xs: readonly number[]): number {
  if (xs.length === 0) throw new Error('median of no values');
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** 2·n³ floating-point operations in `ms` milliseconds, as GFLOP/s. */
export function matmulGflops(n: number, ms: number): number {
  return (2 * n * n * n) / (ms * 1e6);
}

/** Time `run` (one complete, waited-for unit of work) under the repetition policy. */
export async function repeat(
  run: () => Promise<void>,
  opts: RepeatOptions = DEFAULT_REPEAT,
): Promise<Timing> {
  for (let i = 0; i < opts.warmup; i++) await run();
  const samplesMs: number[] = [];
  let spent = 0;
  while (
    samplesMs.length === 0 ||
    (samplesMs.length < opts.minReps && spent < opts.hardBudgetMs) ||
    (samplesMs.length < opts.maxReps && spent < opts.budgetMs)
  ) {
    const t0 = performance.now();
    await run();
    const ms = performance.now() - t0;
    samplesMs.push(ms);
    spent += ms;
  }
  return { medianMs: median(samplesMs), samplesMs };
}
