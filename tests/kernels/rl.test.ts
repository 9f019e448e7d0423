// GRPO reductions on WebGPU against the CPU reference (wasm-cases.test.ts holds wasm to it),
// the reference against the textbook formula, plus the cases that matter for training on
// every backend: a group whose rewards are all equal gets advantages of exactly 0 (never NaN,
// never eps-amplified rounding), maskedMeanBackward accumulates, and bad input is refused.
import { afterAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { cases } from '../../src/kernels/cases/rl.cases';
import { CpuBackend, groupNormalize } from '../../src/kernels/cpu';
import { WasmBackend } from '../../src/kernels/wasm';
import { Rng } from '../../src/rng';
import { expectParity, getGpuBackend } from './gpu';

const cpu = new CpuBackend();
const wasm = await WasmBackend.create();
afterAll(() => wasm.destroy());

async function backendOf(kind: 'cpu' | 'wasm' | 'webgpu'): Promise<Backend> {
  return kind === 'cpu' ? cpu : kind === 'wasm' ? wasm : getGpuBackend();
}

describe('groupNormalize, discountedSum, maskedMean(Backward) vs CPU', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

async function advantages(be: Backend, rewards: number[], G: number): Promise<number[]> {
  const r = be.tensor([rewards.length]);
  be.write(r, rewards);
  const adv = be.tensor([rewards.length]);
  be.write(adv, new Float32Array(rewards.length).fill(123)); // overwritten
  be.groupNormalize(adv, r, G);
  const got = [...(await be.read(adv))];
  be.release(r);
  be.release(adv);
  return got;
}

describe('groupNormalize', () => {
  it('the reference is the textbook formula (f64, unshifted mean) to rounding', () => {
    const rng = new Rng(11);
    const G = 5;
    const rewards = Array.from({ length: 40 * G }, () => rng.normal(0.5, 0.3));
    const got = new Float64Array(rewards.length);
    groupNormalize(got, rewards, rewards.length, G, 1e-6);
    for (let g0 = 0; g0 < rewards.length; g0 += G) {
      const r = rewards.slice(g0, g0 + G);
      const mean = r.reduce((a, b) => a + b, 0) / G;
      const std = Math.sqrt(r.reduce((a, b) => a + (b - mean) ** 2, 0) / G);
      r.forEach((x, i) => expect(got[g0 + i]).toBeCloseTo((x - mean) / (std + 1e-6), 12));
    }
  });

  it.each(['cpu', 'wasm', 'webgpu'] as const)(
    '%s: a group with zero variance gets advantages of exactly 0, not NaN',
    async (kind) => {
      const be = await backendOf(kind);
      // In f32, (5 × 0.03) / 5 and (5 × 0.47) / 5 are not 0.03 and 0.47: an unshifted mean
      // leaves a residue of an ulp, and residue / (std + eps) is then a small nonzero advantage.
      const rewards = [0.03, 0.03, 0.03, 0.03, 0.03, 0, 1, 0, 1, 1, 0.47, 0.47, 0.47, 0.47, 0.47];
      const got = await advantages(be, rewards, 5);
      expect(got.slice(0, 5)).toEqual([0, 0, 0, 0, 0]);
      expect(got.slice(10)).toEqual([0, 0, 0, 0, 0]);
      // The mixed group: zero mean, unit (population) std, ordered like its rewards.
      const mixed = got.slice(5, 10);
      const mean = mixed.reduce((a, b) => a + b, 0) / 5;
      const std = Math.sqrt(mixed.reduce((a, b) => a + (b - mean) ** 2, 0) / 5);
      expect(Math.abs(mean)).toBeLessThan(1e-6);
      expect(std).toBeCloseTo(1, 4);
      expect(mixed[1]).toBeGreaterThan(0);
      expect(mixed[0]).toBeLessThan(0);
      expect(await advantages(be, rewards, 5)).toEqual(got); // deterministic
      // Groups of one have no spread at all.
      expect(await advantages(be, [0.3, -2, 5], 1)).toEqual([0, 0, 0]);
    },
  );

  it('refuses bad input, naming the op', async () => {
    const gpu = await getGpuBackend();
    const r = gpu.tensor([10]);
    const adv = gpu.tensor([10]);
    expect(() => gpu.groupNormalize(adv, r, 3)).toThrow(
      /^groupNormalize: group size G=3 does not divide/,
    );
    expect(() => gpu.groupNormalize(adv, r, 5, 0)).toThrow(/^groupNormalize: eps/);
    const short = gpu.tensor([9]);
    expect(() => gpu.groupNormalize(short, r, 5)).toThrow(/^groupNormalize: /);
    for (const t of [r, adv, short]) gpu.release(t);
  });
});

describe('discountedSum', () => {
  it('weights step t by γ^t, row by row', async () => {
    const gpu = await getGpuBackend();
    const rewards = gpu.tensor([2, 3]);
    gpu.write(rewards, [1, 1, 1, 1, 0, 4]);
    const out = gpu.tensor([2]);
    gpu.discountedSum(out, rewards, 0.5);
    expect([...(await gpu.read(out))]).toEqual([1.75, 2]);
    expect(() => gpu.discountedSum(out, rewards, 1.5)).toThrow(
      /^discountedSum: gamma must be in \[0,1\]/,
    );
    const wrong = gpu.tensor([3]);
    expect(() => gpu.discountedSum(wrong, rewards, 0.8)).toThrow(/^discountedSum: /);
    for (const t of [rewards, out, wrong]) gpu.release(t);
  });
});

describe('maskedMean', () => {
  it('backward accumulates into dx; an empty row divides by 1', async () => {
    const gpu = await getGpuBackend();
    const mask = gpu.tensor([2, 4]);
    gpu.write(mask, [1, 0, 1, 1, 0, 0, 0, 0]);
    const dout = gpu.tensor([2]);
    gpu.write(dout, [3, 5]);
    const dx = gpu.tensor([2, 4]);
    gpu.write(dx, [10, 10, 10, 10, 10, 10, 10, 10]);
    gpu.maskedMeanBackward(dx, dout, mask);
    expect([...(await gpu.read(dx))]).toEqual([11, 10, 11, 11, 10, 10, 10, 10]);
    gpu.maskedMeanBackward(dx, dout, mask);
    expect([...(await gpu.read(dx))]).toEqual([12, 10, 12, 12, 10, 10, 10, 10]);

    const x = gpu.tensor([2, 4]);
    gpu.write(x, [1, 100, 2, 3, 7, 7, 7, 7]);
    const out = gpu.tensor([2]);
    gpu.maskedMean(out, x, mask);
    expect([...(await gpu.read(out))]).toEqual([2, 0]);
    for (const t of [mask, dout, dx, x, out]) gpu.release(t);
  });

  it('refuses bad input, naming the op', async () => {
    const gpu = await getGpuBackend();
    const x = gpu.tensor([2, 4]);
    const mask = gpu.tensor([2, 3]);
    const out = gpu.tensor([2]);
    expect(() => gpu.maskedMean(out, x, mask)).toThrow(/^maskedMean: .*mask/);
    expect(() => gpu.maskedMeanBackward(x, out, mask)).toThrow(/^maskedMeanBackward: .*mask/);
    for (const t of [x, mask, out]) gpu.release(t);
  });
});
