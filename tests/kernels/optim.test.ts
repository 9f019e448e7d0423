// AdamW and clip-by-norm on WebGPU against the CPU reference, plus: several optimiser steps
// recorded into ONE submit keep their own step-dependent uniforms, clipping reads the norm
// straight from GPU memory, and bad input is refused by name.
import { describe, expect, it } from 'vitest';
import type { AdamWSettings, Backend, Tensor } from '../../src/kernels/backend';
import { cases } from '../../src/kernels/cases/optim.cases';
import { CpuBackend } from '../../src/kernels/cpu';
import { maxRelativeError } from '../../src/kernels/selftest';
import { Rng } from '../../src/rng';
import { expectParity, getGpuBackend } from './gpu';

const cpu = new CpuBackend();

function filled(be: Backend, data: Float32Array): Tensor {
  const t = be.tensor([data.length]);
  be.write(t, data);
  return t;
}

function normal(rng: Rng, n: number, std: number): Float32Array {
  return Float32Array.from({ length: n }, () => rng.normal(0, std));
}

describe('adamw and clipByNorm vs CPU', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

describe('adamw', () => {
  it('five steps recorded in one submit each use their own step count and settings', async () => {
    const gpu = await getGpuBackend();
    const n = 300;
    const rng = new Rng(7);
    const p0 = normal(rng, n, 1);
    const grads = [1, 2, 3, 4, 5].map(() => normal(rng, n, 0.1));
    let flushesWhileRecording = -1;
    const run = async (be: Backend): Promise<Float32Array[]> => {
      const params = filled(be, p0);
      const m = be.tensor([n]);
      const v = be.tensor([n]);
      const gs = grads.map((g) => filled(be, g));
      be.flush(); // set-up (uploads, clearing reused buffers) goes out on its own
      const before = be === gpu ? gpu.rt.stats().flushes : 0;
      for (let step = 1; step <= 5; step++) {
        // lr and decay change per step too: a schedule, as training uses.
        const s: AdamWSettings = {
          lr: 1e-2 / step,
          beta1: 0.9,
          beta2: 0.95,
          eps: 1e-8,
          weightDecay: 0.05 * step,
          step,
        };
        be.adamw(params, gs[step - 1], m, v, s);
      }
      if (be === gpu) flushesWhileRecording = gpu.rt.stats().flushes - before;
      const out = [params, m, v];
      const got = await Promise.all(out.map(async (t) => (await be.read(t)) as Float32Array));
      for (const t of [...out, ...gs]) be.release(t);
      return got;
    };
    const got = await run(gpu);
    expect(flushesWhileRecording).toBe(0); // all five went out in the read's single submit
    const want = await run(cpu);
    for (let i = 0; i < 3; i++) expect(maxRelativeError(got[i], want[i])).toBeLessThanOrEqual(1e-4);
    // The updates really moved the parameters (a dropped dispatch would leave p0).
    expect(maxRelativeError(got[0], p0)).toBeGreaterThan(1e-3);
  });

  it('refuses bad input, naming the op', async () => {
    const gpu = await getGpuBackend();
    const a = gpu.tensor([8]);
    const b = gpu.tensor([8]);
    const c = gpu.tensor([8]);
    const short = gpu.tensor([7]);
    const s: AdamWSettings = {
      lr: 1e-3,
      beta1: 0.9,
      beta2: 0.999,
      eps: 1e-8,
      weightDecay: 0,
      step: 1,
    };
    expect(() => gpu.adamw(a, b, c, short, s)).toThrow(/^adamw: /);
    expect(() => gpu.adamw(a, b, c, c, { ...s, step: 0 })).toThrow(
      /^adamw: step must be a positive integer/,
    );
    expect(() => gpu.adamw(a, b, c, c, { ...s, beta2: 1 })).toThrow(/^adamw: beta2/);
    expect(() => gpu.clipByNorm(a, short, 1)).toThrow(/^clipByNorm: /);
    const norm = gpu.tensor([1]);
    expect(() => gpu.clipByNorm(a, norm, 0)).toThrow(/^clipByNorm: maxNorm must be > 0/);
    for (const t of [a, b, c, short, norm]) gpu.release(t);
  });
});

describe('clipByNorm', () => {
  it('scales to the limit above it and leaves gradients bit-identical below it', async () => {
    const gpu = await getGpuBackend();
    const data = normal(new Rng(3), 1000, 1); // norm ≈ 31.6
    const g = filled(gpu, data);
    const norm = gpu.tensor([1]);
    gpu.l2Norm(norm, g);
    gpu.clipByNorm(g, norm, 40); // below the limit: factor 1
    expect(await gpu.read(g)).toEqual(data);

    gpu.clipByNorm(g, norm, 5); // the old norm still in memory: scale by 5/(norm+1e-6)
    gpu.l2Norm(norm, g);
    expect((await gpu.read(norm))[0]).toBeCloseTo(5, 4);
    gpu.release(g);
    gpu.release(norm);
  });

  it('clips by whatever norm is in memory when it runs (no host copy of the norm)', async () => {
    const gpu = await getGpuBackend();
    const g = filled(gpu, new Float32Array(100).fill(1));
    const norm = gpu.tensor([1]);
    const big = filled(gpu, new Float32Array(100).fill(10)); // norm 100
    // Both recorded in one step: the norm the clip reads is produced on the GPU just before.
    gpu.l2Norm(norm, big);
    gpu.clipByNorm(g, norm, 1);
    const got = await gpu.read(g);
    expect(got[0]).toBeCloseTo(0.01, 6);
    expect(got[99]).toBe(got[0]);
    for (const t of [g, norm, big]) gpu.release(t);
  });
});
