// What each implementation hands the measuring code: a prepared piece of work (inputs on the
// GPU, pipelines built) that can be run, timed and checked. Keeping preparation apart from
// running lets the same workload be timed alone or interleaved with another library's.

import { checkProduct, type MatmulProblem } from './problems';
import { matmulGflops, median, repeat, type RepeatOptions, DEFAULT_REPEAT } from './timing';
import type { Impl, MatmulRow, MlpRow, Timing } from './types';

export interface Workload {
  /** One complete unit of work, resolving once the GPU has finished it. */
  run(): Promise<void>;
  dispose(): Promise<void> | void;
}

export interface MatmulWorkload extends Workload {
  /** Read the product back (untimed). */
  result(): Promise<ArrayLike<number>>;
}

export interface MlpWorkload extends Workload {
  /** ms per step over `steps` steps recorded back to back with one wait at the end. */
  pipelined(steps: number): Promise<number>;
  /** Mean loss of the last step's forward pass. */
  loss(): Promise<number>;
  /** Optional: median ms of each phase of a step, each waited for separately. */
  phases?(): Promise<Record<string, number>>;
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e));

/** Prepare, time (warm-up included) and spot-check one matmul; failures become n/a rows. */
export async function measureMatmul(
  impl: Impl,
  label: string,
  p: MatmulProblem,
  prepare: () => Promise<MatmulWorkload>,
  reps: RepeatOptions = DEFAULT_REPEAT,
): Promise<MatmulRow> {
  let w: MatmulWorkload | null = null;
  try {
    w = await prepare();
    const timing = await repeat(() => w!.run(), reps);
    const error = checkProduct(p, await w.result());
    const gflops = matmulGflops(p.n, timing.medianMs);
    return { impl, label, n: p.n, timing, gflops, ...(error ? { error } : {}) };
  } catch (e) {
    return { impl, label, n: p.n, timing: null, gflops: null, error: message(e) };
  } finally {
    await w?.dispose();
  }
}

export async function measureMlp(
  impl: Impl,
  label: string,
  prepare: () => Promise<MlpWorkload>,
  pipelinedSteps: number,
): Promise<MlpRow> {
  let w: MlpWorkload | null = null;
  try {
    w = await prepare();
    const step = await repeat(() => w!.run());
    const pipelinedMsPerStep = await w.pipelined(pipelinedSteps);
    const finalLoss = await w.loss();
    const phasesMs = w.phases ? await w.phases() : undefined;
    return { impl, label, step, pipelinedMsPerStep, finalLoss, ...(phasesMs ? { phasesMs } : {}) };
  } catch (e) {
    return {
      impl,
      label,
      step: null,
      pipelinedMsPerStep: null,
      finalLoss: null,
      error: message(e),
    };
  } finally {
    await w?.dispose();
  }
}

/**
 * Time two workloads alternately (a, b, a, b, …) after one warm-up each, so that load from
 * other processes on a shared machine falls on both alike. Returns both timings.
 */
export async function interleave(
  a: Workload,
  b: Workload,
  pairs: number,
): Promise<[Timing, Timing]> {
  await a.run();
  await b.run();
  const [ta, tb]: number[][] = [[], []];
  for (let i = 0; i < pairs; i++) {
    for (const [w, samples] of [
      [a, ta],
      [b, tb],
    ] as const) {
      const t0 = performance.now();
      await w.run();
      samples.push(performance.now() - t0);
    }
  }
  return [
    { medianMs: median(ta), samplesMs: ta },
    { medianMs: median(tb), samplesMs: tb },
  ];
}
