// Every backward op of the CPU reference against central finite differences of its forward,
// all in f64 through the same free functions CpuBackend runs in f32. Each check uses a
// random upstream gradient w, so the scalar being differentiated is L = Σ w ⊙ forward(…).
// Accumulating backward ops start from random gradient buffers and must ADD to them;
// overwriting ones start from garbage and must replace it.
import { describe, expect, it } from 'vitest';
import type { Activation, DType, Tensor } from '../../src/kernels/backend';
import { sizeOf } from '../../src/kernels/backend';
import {
  activationBackward,
  activationForward,
  attentionBackward,
  attentionForward,
  biasAddForward,
  biasBackward,
  crossEntropyBackward,
  crossEntropyForward,
  embeddingBackward,
  embeddingForward,
  gatherRowsBackward,
  gatherRowsForward,
  layerNormBackward,
  layerNormForward,
  logSoftmaxBackward,
  logSoftmaxForward,
  maskedMeanBackward,
  maskedMeanForward,
  matmulForward,
  softmaxBackward,
  softmaxForward,
} from '../../src/kernels/cpu';
import { maxRelativeError } from '../../src/kernels/selftest';
import { validate, type AttentionDims } from '../../src/kernels/validate';
import { Rng } from '../../src/rng';

const TOLERANCE = 1e-3;

function randn(rng: Rng, n: number, std = 1): Float64Array {
  const x = new Float64Array(n);
  for (let i = 0; i < n; i++) x[i] = rng.normal(0, std);
  return x;
}

function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i] * b[i];
  return s;
}

/** ∂loss/∂x by central differences, perturbing x in place. */
function numericGrad(x: Float64Array, loss: () => number, h = 1e-5): Float64Array {
  const g = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) {
    const old = x[i];
    x[i] = old + h;
    const up = loss();
    x[i] = old - h;
    const down = loss();
    x[i] = old;
    g[i] = (up - down) / (2 * h);
  }
  return g;
}

/** What an accumulating backward added on top of the random values it started from. */
function added(after: Float64Array, before: Float64Array): Float64Array {
  return after.map((v, i) => v - before[i]);
}

function expectClose(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  expect(maxRelativeError(actual, expected)).toBeLessThanOrEqual(TOLERANCE);
  // A gradient that is all zeros would pass trivially; make sure there is signal.
  expect(Math.max(...Array.from(expected, Math.abs))).toBeGreaterThan(1e-6);
}

/** A shape-only stand-in for a tensor, so the tests derive dims with the shared checks. */
function fake(shape: number[], dtype: DType = 'f32'): Tensor {
  return { id: 0, name: 'fake', shape, dtype, size: sizeOf(shape), offset: 0, released: false };
}

describe('matmul gradients (computed with matmul itself, as the model does)', () => {
  const combos = [
    [false, false],
    [false, true],
    [true, false],
    [true, true],
  ] as const;

  for (const [transA, transB] of combos) {
    it(`batched a and b, transA=${transA} transB=${transB}, accumulating into da and db`, () => {
      const rng = new Rng(100 + Number(transA) * 2 + Number(transB));
      const [batch, M, K, N] = [2, 3, 4, 5];
      const aShape = transA ? [batch, K, M] : [batch, M, K];
      const bShape = transB ? [batch, N, K] : [batch, K, N];
      const a = randn(rng, sizeOf(aShape));
      const b = randn(rng, sizeOf(bShape));
      const w = randn(rng, batch * M * N);
      const dims = validate.matmul(fake([batch, M, N]), fake(aShape), fake(bShape), {
        transA,
        transB,
      });
      const loss = (): number => {
        const out = new Float64Array(batch * M * N);
        matmulForward(out, a, b, dims, transA, transB);
        return dot(out, w);
      };
      const dOutShape = [batch, M, N];
      const da0 = randn(rng, a.length);
      const db0 = randn(rng, b.length);
      const da = da0.slice();
      const db = db0.slice();
      // dA = dOut·op(b)ᵀ (stored transposed when transA); dB = op(a)ᵀ·dOut (likewise).
      const mm = (
        out: Float64Array,
        x: Float64Array,
        xs: number[],
        y: Float64Array,
        ys: number[],
        tA: boolean,
        tB: boolean,
      ): void => {
        const opts = { transA: tA, transB: tB };
        const d = validate.matmul(fake(outShape(xs, ys, tA, tB)), fake(xs), fake(ys), opts);
        matmulForward(out, x, y, d, tA, tB, true);
      };
      if (!transA) mm(da, w, dOutShape, b, bShape, false, !transB);
      else mm(da, b, bShape, w, dOutShape, transB, true);
      if (!transB) mm(db, a, aShape, w, dOutShape, !transA, false);
      else mm(db, w, dOutShape, a, aShape, true, transA);
      expectClose(added(da, da0), numericGrad(a, loss));
      expectClose(added(db, db0), numericGrad(b, loss));
    });
  }

  for (const transB of [false, true]) {
    it(`batched a with a shared 2-D b (a linear layer), transB=${transB}`, () => {
      const rng = new Rng(200 + Number(transB));
      const [batch, M, K, N] = [3, 2, 4, 3];
      const aShape = [batch, M, K];
      const bShape = transB ? [N, K] : [K, N];
      const a = randn(rng, sizeOf(aShape));
      const b = randn(rng, sizeOf(bShape));
      const w = randn(rng, batch * M * N);
      const dims = validate.matmul(fake([batch, M, N]), fake(aShape), fake(bShape), { transB });
      expect(dims.bBatched).toBe(false);
      const loss = (): number => {
        const out = new Float64Array(batch * M * N);
        matmulForward(out, a, b, dims, false, transB);
        return dot(out, w);
      };
      const da0 = randn(rng, a.length);
      const db0 = randn(rng, b.length);
      const da = da0.slice();
      const db = db0.slice();
      // da(batch,M,K) = dOut · op(b)ᵀ with b still shared.
      const daDims = validate.matmul(fake(aShape), fake([batch, M, N]), fake(bShape), {
        transB: !transB,
      });
      matmulForward(da, w, b, daDims, false, !transB, true);
      // db sums over the batch: flatten (batch·M) into the contraction dimension.
      const rows = [batch * M, K];
      const dOutRows = [batch * M, N];
      if (!transB) {
        matmulForward(
          db,
          a,
          w,
          validate.matmul(fake(bShape), fake(rows), fake(dOutRows), { transA: true }),
          true,
          false,
          true,
        );
      } else {
        matmulForward(
          db,
          w,
          a,
          validate.matmul(fake(bShape), fake(dOutRows), fake(rows), { transA: true }),
          true,
          false,
          true,
        );
      }
      expectClose(added(da, da0), numericGrad(a, loss));
      expectClose(added(db, db0), numericGrad(b, loss));
    });
  }

  it('accumulate adds the product to what out held; without it out is overwritten', () => {
    const rng = new Rng(300);
    const a = randn(rng, 6);
    const b = randn(rng, 6);
    const dims = validate.matmul(fake([2, 2]), fake([2, 3]), fake([3, 2]));
    const fresh = new Float64Array(4);
    matmulForward(fresh, a, b, dims);
    const start = randn(rng, 4);
    const acc = start.slice();
    matmulForward(acc, a, b, dims, false, false, true);
    expectClose(added(acc, start), fresh);
    const over = start.slice();
    matmulForward(over, a, b, dims);
    expectClose(over, fresh);
  });
});

/** Shape of op(x)·op(y) for the helper above. */
function outShape(xs: number[], ys: number[], tA: boolean, tB: boolean): number[] {
  const [x0, x1] = xs.slice(-2);
  const [y0, y1] = ys.slice(-2);
  return [...xs.slice(0, -2), tA ? x1 : x0, tB ? y0 : y1];
}

describe('bias and activation gradients', () => {
  it('biasBackward accumulates Σ_r dout into dbias', () => {
    const rng = new Rng(1);
    const [R, C] = [5, 7];
    const x = randn(rng, R * C);
    const bias = randn(rng, C);
    const w = randn(rng, R * C);
    const d = { R, C };
    const loss = (): number => {
      const out = new Float64Array(R * C);
      biasAddForward(out, x, bias, d);
      return dot(out, w);
    };
    const db0 = randn(rng, C);
    const db = db0.slice();
    biasBackward(db, w, d);
    expectClose(added(db, db0), numericGrad(bias, loss));
  });

  for (const kind of ['gelu', 'relu', 'tanh'] as Activation[]) {
    it(`${kind} backward accumulates f'(x)·dout`, () => {
      const rng = new Rng(2);
      const n = 40;
      // Keep x away from relu's kink, where the finite difference straddles two slopes.
      const x = randn(rng, n, 2).map((v) => (Math.abs(v) < 0.05 ? v + 0.2 : v));
      const w = randn(rng, n);
      const loss = (): number => {
        const out = new Float64Array(n);
        activationForward(kind, out, x, n);
        return dot(out, w);
      };
      const dx0 = randn(rng, n);
      const dx = dx0.slice();
      activationBackward(kind, dx, x, w, n);
      expectClose(added(dx, dx0), numericGrad(x, loss));
    });
  }
});

describe('normalisation gradients', () => {
  it('layerNorm backward: dx, dw and db all accumulate', () => {
    const rng = new Rng(3);
    const [R, C] = [4, 6];
    const eps = 1e-5;
    const x = randn(rng, R * C, 2);
    const wt = randn(rng, C);
    const b = randn(rng, C);
    const up = randn(rng, R * C);
    const d = { R, C };
    const mean = new Float64Array(R);
    const rstd = new Float64Array(R);
    const loss = (): number => {
      const out = new Float64Array(R * C);
      layerNormForward(out, mean, rstd, x, wt, b, d, eps);
      return dot(out, up);
    };
    loss(); // fills mean and rstd at the unperturbed point
    const saved = [mean.slice(), rstd.slice()];
    const [dx0, dw0, db0] = [randn(rng, R * C), randn(rng, C), randn(rng, C)];
    const [dx, dw, db] = [dx0.slice(), dw0.slice(), db0.slice()];
    layerNormBackward(dx, dw, db, up, x, wt, saved[0], saved[1], d);
    expectClose(added(dx, dx0), numericGrad(x, loss));
    expectClose(added(dw, dw0), numericGrad(wt, loss));
    expectClose(added(db, db0), numericGrad(b, loss));
  });

  for (const [name, forward, backward] of [
    ['softmax', softmaxForward, softmaxBackward],
    ['logSoftmax', logSoftmaxForward, logSoftmaxBackward],
  ] as const) {
    it(`${name} backward overwrites dx with the gradient`, () => {
      const rng = new Rng(4);
      const [R, C] = [3, 9];
      const d = { R, C };
      const x = randn(rng, R * C, 2);
      const dy = randn(rng, R * C);
      const loss = (): number => {
        const y = new Float64Array(R * C);
        forward(y, x, d);
        return dot(y, dy);
      };
      const y = new Float64Array(R * C);
      forward(y, x, d);
      const dx = randn(rng, R * C).map((v) => v * 1e3); // garbage that must be replaced
      backward(dx, y, dy, d);
      expectClose(dx, numericGrad(x, loss));
    });
  }
});

describe('attention gradients', () => {
  const shape: AttentionDims = { B: 2, T: 5, NH: 2, HS: 3, C: 6 };
  for (const prefix of [null, [3, 0], [5, 1]]) {
    it(`dqkv accumulates, prefixLen=${JSON.stringify(prefix)}`, () => {
      const rng = new Rng(5);
      const { B, T, NH, C } = shape;
      const qkv = randn(rng, B * T * 3 * C);
      const up = randn(rng, B * T * C);
      const prefixLen = prefix ? Int32Array.from(prefix) : null;
      const att = new Float64Array(B * NH * T * T);
      const loss = (): number => {
        const out = new Float64Array(B * T * C);
        attentionForward(out, att, qkv, prefixLen, shape);
        return dot(out, up);
      };
      loss();
      const savedAtt = att.slice();
      const dqkv0 = randn(rng, qkv.length);
      const dqkv = dqkv0.slice();
      const datt = new Float64Array(att.length);
      attentionBackward(dqkv, datt, up, qkv, savedAtt, shape);
      expectClose(added(dqkv, dqkv0), numericGrad(qkv, loss));
    });
  }
});

describe('embedding, gather and loss gradients', () => {
  it('embeddingBackward scatter-adds into repeated rows', () => {
    const rng = new Rng(6);
    const [V, C] = [5, 4];
    const ids = Int32Array.from([2, 0, 2, 4, 2, 1]);
    const N = ids.length;
    const table = randn(rng, V * C);
    const up = randn(rng, N * C);
    const d = { N, V, C };
    const loss = (): number => {
      const out = new Float64Array(N * C);
      embeddingForward(out, ids, table, d);
      return dot(out, up);
    };
    const dt0 = randn(rng, V * C);
    const dt = dt0.slice();
    embeddingBackward(dt, up, ids, d);
    expectClose(added(dt, dt0), numericGrad(table, loss));
  });

  it('gatherRowsBackward accumulates and skips negative ids', () => {
    const rng = new Rng(7);
    const [N, V] = [5, 6];
    const ids = Int32Array.from([3, -1, 0, 5, 3]);
    const logp = randn(rng, N * V);
    const up = randn(rng, N);
    const d = { N, V };
    const loss = (): number => {
      const out = new Float64Array(N);
      gatherRowsForward(out, logp, ids, d);
      return dot(out, up);
    };
    const dl0 = randn(rng, N * V);
    const dl = dl0.slice();
    gatherRowsBackward(dl, up, ids, d);
    expectClose(added(dl, dl0), numericGrad(logp, loss));
  });

  it('crossEntropyBackward overwrites dlogits; ignored rows get 0', () => {
    const rng = new Rng(8);
    const [N, V] = [4, 7];
    const targets = Int32Array.from([6, -1, 0, 3]);
    const logits = randn(rng, N * V, 2);
    const dlosses = randn(rng, N);
    const d = { N, V };
    const probs = new Float64Array(N * V);
    const loss = (): number => {
      const losses = new Float64Array(N);
      crossEntropyForward(losses, probs, logits, targets, d);
      return dot(losses, dlosses);
    };
    loss();
    const dlogits = randn(rng, N * V).map((v) => v * 1e3);
    crossEntropyBackward(dlogits, probs.slice(), targets, dlosses, d);
    expectClose(dlogits, numericGrad(logits, loss));
    expect(Array.from(dlogits.subarray(V, 2 * V))).toEqual(new Array(V).fill(0));
  });

  it('maskedMeanBackward accumulates, including an all-masked row', () => {
    const rng = new Rng(9);
    const [B, T] = [3, 5];
    const mask = Float64Array.from([1, 1, 0, 1, 0, 0, 0, 0, 0, 0, 0.5, 1, 1, 1, 1]);
    const x = randn(rng, B * T);
    const up = randn(rng, B);
    const d = { B, T };
    const loss = (): number => {
      const out = new Float64Array(B);
      maskedMeanForward(out, x, mask, d);
      return dot(out, up);
    };
    const dx0 = randn(rng, B * T);
    const dx = dx0.slice();
    maskedMeanBackward(dx, up, mask, d);
    expectClose(added(dx, dx0), numericGrad(x, loss));
    expect(Array.from(added(dx, dx0).subarray(T, 2 * T))).toEqual(new Array(T).fill(0));
  });
});
