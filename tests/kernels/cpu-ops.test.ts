// Forward ops of the CPU backend against values worked out by hand on tiny inputs.
import { describe, expect, it } from 'vitest';
import type { DType, Tensor } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';

const be = new CpuBackend();

function t(shape: number[], data: number[], dtype: DType = 'f32'): Tensor {
  const x = be.tensor(shape, dtype);
  be.write(x, data);
  return x;
}

async function values(x: Tensor): Promise<number[]> {
  return Array.from(await be.read(x));
}

function expectNear(got: number[], want: number[], digits = 5): void {
  expect(got.length).toBe(want.length);
  got.forEach((g, i) => expect(g, `element ${i}`).toBeCloseTo(want[i], digits));
}

describe('memory', () => {
  it('views share the parent storage and read returns a copy', async () => {
    const parent = t([2, 3], [1, 2, 3, 4, 5, 6]);
    const row1 = be.view(parent, 3, [3]);
    be.scale(row1, row1, 10);
    expect(await values(parent)).toEqual([1, 2, 3, 40, 50, 60]);
    const copy = await be.read(parent);
    copy[0] = 99;
    expect((await be.read(parent))[0]).toBe(1);
    const sub = be.view(row1, 1, [2]);
    expect(sub.offset).toBe(4);
    expect(await values(sub)).toEqual([50, 60]);
  });

  it('zero and copy', async () => {
    const a = t([3], [1, 2, 3]);
    const b = be.tensor([3]);
    be.copy(b, a);
    be.zero(a);
    expect(await values(a)).toEqual([0, 0, 0]);
    expect(await values(b)).toEqual([1, 2, 3]);
  });
});

describe('linear and elementwise', () => {
  it('2×2 matmul, plain and with b transposed', async () => {
    const a = t([2, 2], [1, 2, 3, 4]);
    const b = t([2, 2], [5, 6, 7, 8]);
    const out = be.tensor([2, 2]);
    be.matmul(out, a, b);
    expect(await values(out)).toEqual([19, 22, 43, 50]);
    be.matmul(out, a, b, { transB: true });
    expect(await values(out)).toEqual([17, 23, 39, 53]);
    be.matmul(out, a, b, { transA: true, accumulate: true });
    // aᵀ·b = [[26,30],[38,44]] added to the previous result
    expect(await values(out)).toEqual([17 + 26, 23 + 30, 39 + 38, 53 + 44]);
  });

  it('batched matmul with a shared b', async () => {
    const a = t([2, 1, 2], [1, 0, 0, 1]);
    const b = t([2, 2], [1, 2, 3, 4]);
    const out = be.tensor([2, 1, 2]);
    be.matmul(out, a, b);
    expect(await values(out)).toEqual([1, 2, 3, 4]);
  });

  it('bias add in place, bias backward accumulates', async () => {
    const x = t([2, 2], [1, 2, 3, 4]);
    be.biasAdd(x, x, t([2], [10, 20]));
    expect(await values(x)).toEqual([11, 22, 13, 24]);
    const db = t([2], [1, 1]);
    be.biasBackward(db, x);
    expect(await values(db)).toEqual([25, 47]);
  });

  it('add, mul, scale', async () => {
    const a = t([3], [1, -2, 3]);
    const b = t([3], [4, 5, -6]);
    const out = be.tensor([3]);
    be.add(out, a, b);
    expect(await values(out)).toEqual([5, 3, -3]);
    be.mul(out, a, b);
    expect(await values(out)).toEqual([4, -10, -18]);
    be.scale(out, a, -0.5);
    expect(await values(out)).toEqual([-0.5, 1, -1.5]);
  });

  it('activations: GPT-2 tanh gelu, relu, tanh', async () => {
    const x = t([4], [-1, 0, 1, 2]);
    const out = be.tensor([4]);
    be.activation('gelu', out, x);
    expectNear(await values(out), [-0.158808, 0, 0.841192, 1.954598]);
    be.activation('relu', out, x);
    expect(await values(out)).toEqual([0, 0, 1, 2]);
    be.activation('tanh', out, x);
    expectNear(await values(out), [-0.761594, 0, 0.761594, 0.964028]);
    const dx = t([4], [1, 1, 1, 1]);
    be.activationBackward('relu', dx, x, t([4], [5, 5, 5, 5]));
    expect(await values(dx)).toEqual([1, 1, 6, 6]);
  });
});

describe('normalisation', () => {
  it('layer norm of (1,2,3) with w=2, b=1, saving mean and rstd', async () => {
    const out = be.tensor([1, 3]);
    const mean = be.tensor([1]);
    const rstd = be.tensor([1]);
    const [x, w, b] = [t([1, 3], [1, 2, 3]), t([3], [2, 2, 2]), t([3], [1, 1, 1])];
    be.layerNorm({ out, mean, rstd, x, w, b }, 1e-5);
    const s = 1 / Math.sqrt(2 / 3 + 1e-5);
    expectNear(await values(out), [1 - 2 * s, 1, 1 + 2 * s]);
    expectNear(await values(mean), [2]);
    expectNear(await values(rstd), [s]);
  });

  it('softmax rows sum to 1; log-softmax is its log', async () => {
    const x = t([2, 3], [0, Math.log(3), -1000, 5, 5, 5]);
    const y = be.tensor([2, 3]);
    be.softmax(y, x);
    const p = await values(y);
    expectNear(p, [0.25, 0.75, 0, 1 / 3, 1 / 3, 1 / 3]);
    expect(p[0] + p[1] + p[2]).toBeCloseTo(1, 6);
    be.logSoftmax(y, x);
    const lp = await values(y);
    expectNear(lp.slice(0, 2), [Math.log(0.25), Math.log(0.75)]);
    expect(lp[2]).toBeCloseTo(-1000 - Math.log(4), 2);
  });
});

describe('attention', () => {
  // B=1, T=5, one head of size 2. q = 0 makes every visible key equally likely, so att
  // shows the mask and out is the mean of the visible values.
  const T = 5;
  const shape = { B: 1, T, NH: 1, HS: 2 };
  const qkvData: number[] = [];
  for (let i = 0; i < T; i++) qkvData.push(0, 0, i, -i, i + 1, 10 * (i + 1));
  const visible = (pattern: number[][]): number[] =>
    pattern.flatMap((row) => {
      const n = row.reduce((s, v) => s + v, 0);
      return row.map((v) => v / n);
    });

  it('prefix positions see the whole prefix, later ones are causal; masked att is exactly 0', async () => {
    const out = be.tensor([1, T, 2]);
    const att = be.tensor([1, 1, T, T]);
    be.attention(out, att, t([1, T, 6], qkvData), t([1], [3], 'i32'), shape);
    const a = await values(att);
    expectNear(
      a,
      visible([
        [1, 1, 1, 0, 0],
        [1, 1, 1, 0, 0],
        [1, 1, 1, 0, 0],
        [1, 1, 1, 1, 0],
        [1, 1, 1, 1, 1],
      ]),
    );
    for (const [r, c] of [
      [0, 3],
      [2, 4],
      [3, 4],
    ]) {
      expect(a[r * T + c]).toBe(0);
    }
    // row 0 averages v of positions 0..2: (2, 20); row 4 averages all five: (3, 30)
    const o = await values(out);
    expectNear(o.slice(0, 2), [2, 20]);
    expectNear(o.slice(8, 10), [3, 30]);
  });

  it('without a prefix the mask is causal', async () => {
    const out = be.tensor([1, T, 2]);
    const att = be.tensor([1, 1, T, T]);
    be.attention(out, att, t([1, T, 6], qkvData), null, shape);
    const lower = Array.from({ length: T }, (_, r) =>
      Array.from({ length: T }, (_, c) => (c <= r ? 1 : 0)),
    );
    expectNear(await values(att), visible(lower));
    expectNear((await values(out)).slice(0, 2), [1, 10]);
  });

  it('scores are scaled by 1/√HS', async () => {
    // T=2, causal: row 1 has raw scores q·k0 = 0 and q·k1 = 2; with HS=4 the scale is 1/2.
    const s = { B: 1, T: 2, NH: 1, HS: 4 };
    const q = [1, 1, 1, 1];
    const row = (k: number[]): number[] => [...q, ...k, 0, 0, 0, 0];
    const qkv = t([1, 2, 12], [...row([0, 0, 0, 0]), ...row([1, 1, 0, 0])]);
    const att = be.tensor([1, 1, 2, 2]);
    be.attention(be.tensor([1, 2, 4]), att, qkv, null, s);
    const e = Math.exp(2 / 2);
    expectNear((await values(att)).slice(2), [1 / (1 + e), e / (1 + e)]);
  });
});

describe('embeddings and losses', () => {
  it('embedding lookup and scatter-add backward', async () => {
    const table = t([3, 2], [1, 2, 3, 4, 5, 6]);
    const ids = t([3], [2, 0, 2], 'i32');
    const out = be.tensor([3, 2]);
    be.embedding(out, ids, table);
    expect(await values(out)).toEqual([5, 6, 1, 2, 5, 6]);
    const dtable = t([3, 2], [1, 1, 1, 1, 1, 1]);
    be.embeddingBackward(dtable, t([3, 2], [1, 2, 3, 4, 5, 6]), ids);
    expect(await values(dtable)).toEqual([4, 5, 1, 1, 7, 9]);
  });

  it('gatherRows picks one entry per row; a negative id gives 0', async () => {
    const out = be.tensor([3]);
    be.gatherRows(out, t([3, 2], [-1, -2, -3, -4, -5, -6]), t([3], [1, -1, 0], 'i32'));
    expect(await values(out)).toEqual([-2, 0, -5]);
  });

  it('cross-entropy: ignored rows lose 0, others −log p(target)', async () => {
    const losses = be.tensor([2]);
    const probs = be.tensor([2, 2]);
    be.crossEntropy(losses, probs, t([2, 2], [0, 0, 1, 2]), t([2], [-1, 1], 'i32'));
    expectNear(await values(losses), [0, Math.log(1 + Math.exp(-1))]);
    const e = Math.exp(1);
    expectNear(await values(probs), [0.5, 0.5, 1 / (1 + e), e / (1 + e)]);
    const dlogits = t([2, 2], [9, 9, 9, 9]);
    be.crossEntropyBackward(dlogits, probs, t([2], [-1, 1], 'i32'), t([2], [1, 2]));
    expectNear(await values(dlogits), [0, 0, 2 / (1 + e), 2 * (e / (1 + e) - 1)]);
  });

  it('cross-entropy stays finite when the target probability underflows f32', async () => {
    const losses = be.tensor([1]);
    be.crossEntropy(losses, be.tensor([1, 2]), t([1, 2], [200, 0]), t([1], [1], 'i32'));
    expect((await values(losses))[0]).toBeCloseTo(200, 3);
  });
});

describe('reductions and optimisation', () => {
  it('reduce max with negatives, sum, mean; a 1-D x reduces to one value', async () => {
    const x = t([2, 3], [-3, -1, -2, -5, -4, -6]);
    const out = be.tensor([2]);
    be.reduce('max', out, x);
    expect(await values(out)).toEqual([-1, -4]);
    be.reduce('sum', out, x);
    expect(await values(out)).toEqual([-6, -15]);
    be.reduce('mean', out, x);
    expect(await values(out)).toEqual([-2, -5]);
    const one = be.tensor([1]);
    be.reduce('sum', one, t([4], [1, 2, 3, 4]));
    expect(await values(one)).toEqual([10]);
  });

  it('l2Norm and clipByNorm scale only when the norm exceeds maxNorm', async () => {
    const g = t([2], [3, 4]);
    const norm = be.tensor([1]);
    be.l2Norm(norm, g);
    expect(await values(norm)).toEqual([5]);
    be.clipByNorm(g, norm, 10);
    expect(await values(g)).toEqual([3, 4]);
    be.clipByNorm(g, norm, 1);
    const f = 1 / (5 + 1e-6);
    expectNear(await values(g), [3 * f, 4 * f]);
  });

  it('AdamW: two steps by hand, with bias correction and decoupled weight decay', async () => {
    const s = { lr: 0.1, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, step: 1 };
    const p = t([2], [1, -2]);
    const g = t([2], [0.5, -1]);
    const m = be.tensor([2]);
    const v = be.tensor([2]);
    be.adamw(p, g, m, v, s);
    // step 1: m̂ = g, v̂ = g², so the Adam direction is sign(g) (up to eps)
    expectNear(await values(p), [1 - 0.1 * (1 + 0.01 * 1), -2 - 0.1 * (-1 + 0.01 * -2)]);
    expectNear(await values(m), [0.05, -0.1]);
    expectNear(await values(v), [0.00025, 0.001], 7);
    be.adamw(p, g, m, v, { ...s, step: 2 });
    // same gradient again: m̂ and v̂ are unchanged by bias correction, direction still sign(g)
    const p1 = 1 - 0.1 * 1.01;
    expectNear((await values(p)).slice(0, 1), [p1 - 0.1 * (1 + 0.01 * p1)]);
  });
});

describe('reinforcement-learning reductions', () => {
  it('groupNormalize by hand: population std per group, an all-equal group gives 0', async () => {
    const adv = be.tensor([6]);
    be.groupNormalize(adv, t([6], [1, 2, 3, 5, 5, 5]), 3, 1e-6);
    const z = 1 / (Math.sqrt(2 / 3) + 1e-6);
    expectNear(await values(adv), [-z, 0, z, 0, 0, 0]);
  });

  it('discountedSum with γ = 0.8', async () => {
    const out = be.tensor([3]);
    be.discountedSum(out, t([3, 4], [1, 1, 1, 0, 0, 0, 1, 0, 2, -1, 0, 0.5]), 0.8);
    expectNear(await values(out), [2.44, 0.64, 2 - 0.8 + 0.5 * 0.512]);
  });

  it('maskedMean divides by max(1, Σ mask); backward accumulates', async () => {
    const out = be.tensor([2]);
    const mask = t([2, 4], [1, 0, 1, 0, 0, 0, 0, 0]);
    be.maskedMean(out, t([2, 4], [1, 2, 3, 4, 5, 6, 7, 8]), mask);
    expect(await values(out)).toEqual([2, 0]);
    const dx = t([2, 4], [1, 1, 1, 1, 1, 1, 1, 1]);
    be.maskedMeanBackward(dx, t([2], [4, 4]), mask);
    expect(await values(dx)).toEqual([3, 1, 3, 1, 1, 1, 1, 1]);
  });
});
