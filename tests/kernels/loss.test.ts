// Fused softmax + cross-entropy on WebGPU against the CPU reference: every case in
// loss.cases.ts (ignored targets, wide vocabularies, outputs pre-filled with garbage that must
// be overwritten), a loss that stays finite when its probability underflows, and refusals
// naming the op.
import { describe, expect, it } from 'vitest';
import { cases } from '../../src/kernels/cases/loss.cases';
import { CpuBackend } from '../../src/kernels/cpu';
import { expectParity, getGpuBackend } from './gpu';
import { expectRefused } from './ops-helpers';

const cpu = new CpuBackend();

describe('cross-entropy vs CPU', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
    await expectParity(await getGpuBackend(), cpu, c);
  });
});

describe('cross-entropy on WebGPU', () => {
  it('stays finite when the target probability underflows, and ignores −1 rows', async () => {
    const gpu = await getGpuBackend();
    const logits = gpu.tensor([2, 3]);
    gpu.write(logits, [0, 200, -50, 1, 2, 3]);
    const targets = gpu.tensor([2], 'i32');
    gpu.write(targets, [0, -1]);
    const [losses, probs] = [gpu.tensor([2]), gpu.tensor([2, 3])];
    gpu.write(losses, [7, 7]);
    gpu.crossEntropy(losses, probs, logits, targets);
    const l = await gpu.read(losses);
    // exp(−200) is 0 in f32, yet the loss is logsumexp − logit ≈ 200.
    expect(l[0]).toBeCloseTo(200, 3);
    expect(l[1]).toBe(0);
    const dlogits = gpu.tensor([2, 3]);
    const dlosses = gpu.tensor([2]);
    gpu.write(dlosses, [1, 1]);
    gpu.crossEntropyBackward(dlogits, probs, targets, dlosses);
    const g = await gpu.read(dlogits);
    expect(g[0]).toBeCloseTo(-1, 6); // p ≈ 0 minus the one-hot
    expect(g[1]).toBeCloseTo(1, 6);
    expect(Array.from(g.subarray(3))).toEqual([0, 0, 0]);
    for (const t of [logits, targets, losses, probs, dlogits, dlosses]) gpu.release(t);
  });

  it('refuses float targets and mis-shaped probabilities, naming the op', async () => {
    const gpu = await getGpuBackend();
    const [logits, probs, losses, targets] = [
      gpu.tensor([4, 5]),
      gpu.tensor([5, 4]),
      gpu.tensor([4]),
      gpu.tensor([4], 'i32'),
    ];
    expectRefused(
      () => gpu.crossEntropy(losses, logits, logits, losses),
      'crossEntropy',
      'must be i32',
    );
    expectRefused(
      () => gpu.crossEntropy(losses, probs, logits, targets),
      'crossEntropy',
      'probs (5,4)',
    );
    expectRefused(
      () => gpu.crossEntropyBackward(probs, logits, targets, losses),
      'crossEntropyBackward',
      'dlogits (5,4)',
    );
    for (const t of [logits, probs, losses, targets]) gpu.release(t);
  });
});
