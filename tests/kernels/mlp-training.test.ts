// The MLP of src/kernels/mlp.ts (32→64→64→10, ReLU, softmax cross-entropy, batch 64) trained
// for 50 AdamW steps with global-norm clipping on a fixed teacher's labels, the same code on
// WebGpuBackend and on CpuBackend from the same seed: the two loss curves must agree at
// every step and the loss must fall. This is the end-to-end check that the kernels compose
// into training (forward, backward, clip and update in one submit per step).
import { describe, expect, it } from 'vitest';
import type { AdamWSettings, Backend, Tensor } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { Mlp } from '../../src/kernels/mlp';
import { maxRelativeError } from '../../src/kernels/selftest';
import { Rng } from '../../src/rng';
import { getGpuBackend } from './gpu';

const SIZES = [32, 64, 64, 10];
const B = 64;
const BATCHES = 4;
const STEPS = 50;
const MAX_NORM = 1;
const ADAMW: Omit<AdamWSettings, 'step'> = {
  lr: 1e-2,
  beta1: 0.9,
  beta2: 0.999,
  eps: 1e-8,
  weightDecay: 0.01,
};
/**
 * Loss agreement: |gpu − cpu| ≤ LOSS_TOL · max(1, cpu) at every step. The CPU accumulates in
 * f64 and the GPU in f32 in another order, so the parameters drift apart by rounding and
 * AdamW feeds that back for 50 steps; on SwiftShader the worst step differs by about 5e-6.
 * A kernel that is wrong (a missed clip, a gradient dropped) moves the curve by 1e-2 or more.
 */
const LOSS_TOL = 1e-4;
/** Final parameters, max relative error with the self-test's floor (observed about 4e-3). */
const PARAM_TOL = 2e-2;

/** BATCHES batches of inputs x ~ N(0,1) labelled by a fixed random teacher 32→16→10 (tanh). */
function teacherData(seed: number): { x: Float32Array; labels: Int32Array } {
  const rng = new Rng(seed);
  const [I, H, V] = [SIZES[0], 16, SIZES[SIZES.length - 1]];
  const w1 = Float32Array.from({ length: I * H }, () => rng.normal(0, 1 / Math.sqrt(I)));
  const w2 = Float32Array.from({ length: H * V }, () => rng.normal(0, 1 / Math.sqrt(H)));
  const N = BATCHES * B;
  const x = Float32Array.from({ length: N * I }, () => rng.normal());
  const labels = new Int32Array(N);
  const h = new Float64Array(H);
  for (let n = 0; n < N; n++) {
    for (let j = 0; j < H; j++) {
      let s = 0;
      for (let i = 0; i < I; i++) s += x[n * I + i] * w1[i * H + j];
      h[j] = Math.tanh(s);
    }
    let best = -Infinity;
    for (let k = 0; k < V; k++) {
      let s = 0;
      for (let j = 0; j < H; j++) s += h[j] * w2[j * V + k];
      if (s > best) [best, labels[n]] = [s, k];
    }
  }
  return { x, labels };
}

interface Run {
  losses: number[];
  gradNorms: number[];
  params: Float32Array;
}

/** Train from seed 1 on `be`, reading the loss and gradient norm after every step. */
async function train(be: Backend): Promise<Run> {
  const data = teacherData(2);
  const xs = be.tensor([BATCHES, B, SIZES[0]], 'f32', 'x');
  const ys = be.tensor([BATCHES, B], 'i32', 'labels');
  be.write(xs, data.x);
  be.write(ys, data.labels);
  // One view per batch: aligned because B·32 and B are multiples of 64.
  const batches: [Tensor, Tensor][] = Array.from({ length: BATCHES }, (_, i) => [
    be.view(xs, i * B * SIZES[0], [B, SIZES[0]]),
    be.view(ys, i * B, [B]),
  ]);
  const mlp = new Mlp(be, { sizes: SIZES, B });
  mlp.init(new Rng(1));
  const losses: number[] = [];
  const gradNorms: number[] = [];
  for (let step = 1; step <= STEPS; step++) {
    const [x, y] = batches[(step - 1) % BATCHES];
    mlp.trainStep(x, y, { ...ADAMW, step }, MAX_NORM);
    losses.push((await be.read(mlp.loss))[0]);
    gradNorms.push((await be.read(mlp.gradNorm))[0]);
  }
  const params = (await be.read(mlp.flat.params)) as Float32Array;
  mlp.release();
  be.release(xs);
  be.release(ys);
  return { losses, gradNorms, params };
}

describe('MLP training, WebGPU vs CPU', () => {
  it('50 AdamW steps with clipping: the loss curves agree at every step and the loss falls', async () => {
    const gpu = await getGpuBackend();
    const got = await train(gpu);
    const want = await train(new CpuBackend());
    for (let i = 0; i < STEPS; i++) {
      const diff = Math.abs(got.losses[i] - want.losses[i]);
      expect(diff, `step ${i + 1}: gpu ${got.losses[i]} cpu ${want.losses[i]}`).toBeLessThanOrEqual(
        LOSS_TOL * Math.max(1, want.losses[i]),
      );
      expect(got.gradNorms[i]).toBeCloseTo(want.gradNorms[i], 3);
    }
    expect(maxRelativeError(got.params, want.params)).toBeLessThanOrEqual(PARAM_TOL);
    // It learns: from about ln 10 (plus init noise) to a small fraction of that.
    expect(want.losses[0]).toBeGreaterThan(2);
    expect(got.losses[STEPS - 1]).toBeLessThan(0.1 * got.losses[0]);
    // Both clip paths ran: scaled down early (norm above the limit), untouched later.
    expect(got.gradNorms[0]).toBeGreaterThan(MAX_NORM);
    expect(got.gradNorms[STEPS - 1]).toBeLessThan(MAX_NORM);
  });

  it('a step after the first records without waiting, allocating or compiling', async () => {
    const gpu = await getGpuBackend();
    const data = teacherData(3);
    const x = gpu.tensor([B, SIZES[0]]);
    const y = gpu.tensor([B], 'i32');
    gpu.write(x, data.x.subarray(0, B * SIZES[0]));
    gpu.write(y, data.labels.subarray(0, B));
    const mlp = new Mlp(gpu, { sizes: SIZES, B });
    mlp.init(new Rng(1));
    mlp.trainStep(x, y, { ...ADAMW, step: 1 }, MAX_NORM);
    const first = (await gpu.read(mlp.loss))[0];
    const before = gpu.rt.stats();
    const perStep: number[] = [];
    for (let step = 2; step <= 4; step++) {
      const d0 = gpu.rt.stats().dispatches;
      mlp.trainStep(x, y, { ...ADAMW, step }, MAX_NORM);
      perStep.push(gpu.rt.stats().dispatches - d0);
    }
    const during = gpu.rt.stats();
    const last = (await gpu.read(mlp.loss))[0];
    expect(during.flushes).toBe(before.flushes); // nothing submitted until the read
    expect(during.pipelines).toBe(before.pipelines);
    expect(during.storage.created).toBe(before.storage.created);
    expect(during.scratchCopies).toBe(before.scratchCopies); // no aliased bindings to copy
    // At least one dispatch per op call (26 calls: 10 forward, 2 zero, 11 backward, 2 clip,
    // 1 update), and the same work every step.
    expect(perStep[0]).toBeGreaterThanOrEqual(26);
    expect(perStep).toEqual([perStep[0], perStep[0], perStep[0]]);
    expect(last).toBeLessThan(first); // same batch four times: it must fit it better
    mlp.release();
    gpu.release(x);
    gpu.release(y);
  });
});
