// Bad input to every op raises a KernelError whose message names the op and the shapes.
// One well-formed call per op is listed once; the generic tests then break it one tensor at
// a time (released, wrong dtype, wrong size) and expect that op to refuse.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KernelError, type Backend, type DType, type Tensor } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { WasmBackend } from '../../src/kernels/wasm';
import { shapeString, validate } from '../../src/kernels/validate';

const cpu = new CpuBackend();
const wasm = await WasmBackend.create();
/** The backend under test: the CPU reference, except inside the per-backend block below. */
let be: Backend = cpu;

/** The KernelError `fn` throws (failing the test when it throws nothing or something else). */
function kernelError(fn: () => unknown): KernelError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(KernelError);
    return e as KernelError;
  }
  throw new Error('expected a KernelError, nothing was thrown');
}

function expectKernelError(fn: () => unknown, op: string, ...fragments: string[]): void {
  const e = kernelError(fn);
  expect(e.op).toBe(op);
  expect(e.message.startsWith(`${op}: `)).toBe(true);
  for (const f of fragments) expect(e.message).toContain(f);
}

type Spec = [number[], DType?];

interface GoodCall {
  op: string;
  tensors: Spec[];
  call(ts: Tensor[]): void;
  /** Tensors whose last dimension is free (it sets a dimension instead of having to match). */
  free?: number[];
  /** Generic over dtype (its tensors must agree): no fixed dtype to break. */
  anyDtype?: boolean;
}

const attnShape = { B: 1, T: 2, NH: 1, HS: 2 };
const GRPO_SETTINGS = { clipEps: 0.2, beta: 0.01, normaliser: 4 };

const GOOD: GoodCall[] = [
  {
    op: 'matmul',
    tensors: [[[2, 4]], [[2, 3]], [[3, 4]]],
    call: ([o, a, b]) => be.matmul(o, a, b),
  },
  {
    op: 'biasAdd',
    tensors: [[[2, 3]], [[2, 3]], [[3]]],
    call: ([o, x, b]) => be.biasAdd(o, x, b),
  },
  { op: 'biasBackward', tensors: [[[3]], [[2, 3]]], call: ([db, d]) => be.biasBackward(db, d) },
  { op: 'add', tensors: [[[4]], [[4]], [[4]]], call: ([o, a, b]) => be.add(o, a, b) },
  { op: 'mul', tensors: [[[4]], [[4]], [[4]]], call: ([o, a, b]) => be.mul(o, a, b) },
  { op: 'scale', tensors: [[[4]], [[4]]], call: ([o, a]) => be.scale(o, a, 2) },
  { op: 'activation', tensors: [[[4]], [[4]]], call: ([o, x]) => be.activation('gelu', o, x) },
  {
    op: 'activationBackward',
    tensors: [[[4]], [[4]], [[4]]],
    call: ([dx, x, d]) => be.activationBackward('tanh', dx, x, d),
  },
  {
    op: 'layerNorm',
    tensors: [[[2, 3]], [[2]], [[2]], [[2, 3]], [[3]], [[3]]],
    call: ([o, m, r, x, w, b]) => be.layerNorm({ out: o, mean: m, rstd: r, x, w, b }),
  },
  {
    op: 'layerNormBackward',
    tensors: [[[2, 3]], [[3]], [[3]], [[2, 3]], [[2, 3]], [[3]], [[2]], [[2]]],
    call: ([dx, dw, db, d, x, w, m, r]) =>
      be.layerNormBackward({ dx, dw, db, dout: d, x, w, mean: m, rstd: r }),
  },
  { op: 'softmax', tensors: [[[2, 3]], [[2, 3]]], call: ([o, x]) => be.softmax(o, x) },
  {
    op: 'softmaxBackward',
    tensors: [[[2, 3]], [[2, 3]], [[2, 3]]],
    call: ([dx, y, dy]) => be.softmaxBackward(dx, y, dy),
  },
  { op: 'logSoftmax', tensors: [[[2, 3]], [[2, 3]]], call: ([o, x]) => be.logSoftmax(o, x) },
  {
    op: 'logSoftmaxBackward',
    tensors: [[[2, 3]], [[2, 3]], [[2, 3]]],
    call: ([dx, y, dy]) => be.logSoftmaxBackward(dx, y, dy),
  },
  {
    op: 'attention',
    tensors: [[[1, 2, 2]], [[1, 1, 2, 2]], [[1, 2, 6]], [[1], 'i32']],
    call: ([o, att, qkv, p]) => be.attention(o, att, qkv, p, attnShape),
  },
  {
    op: 'attentionBackward',
    tensors: [[[1, 2, 6]], [[1, 1, 2, 2]], [[1, 2, 2]], [[1, 2, 6]], [[1, 1, 2, 2]]],
    call: ([dqkv, datt, d, qkv, att]) => be.attentionBackward(dqkv, datt, d, qkv, att, attnShape),
  },
  {
    op: 'embedding',
    tensors: [[[2, 3]], [[2], 'i32'], [[4, 3]]],
    call: ([o, ids, table]) => be.embedding(o, ids, table),
  },
  {
    op: 'embeddingBackward',
    tensors: [[[4, 3]], [[2, 3]], [[2], 'i32']],
    call: ([dt, d, ids]) => be.embeddingBackward(dt, d, ids),
  },
  {
    op: 'gatherRows',
    tensors: [[[2]], [[2, 4]], [[2], 'i32']],
    call: ([o, lp, ids]) => be.gatherRows(o, lp, ids),
    free: [1],
  },
  {
    op: 'gatherRowsBackward',
    tensors: [[[2, 4]], [[2]], [[2], 'i32']],
    call: ([dlp, d, ids]) => be.gatherRowsBackward(dlp, d, ids),
    free: [0],
  },
  {
    op: 'crossEntropy',
    tensors: [[[2]], [[2, 4]], [[2, 4]], [[2], 'i32']],
    call: ([l, p, x, tg]) => be.crossEntropy(l, p, x, tg),
  },
  {
    op: 'crossEntropyBackward',
    tensors: [[[2, 4]], [[2, 4]], [[2], 'i32'], [[2]]],
    call: ([dx, p, tg, dl]) => be.crossEntropyBackward(dx, p, tg, dl),
  },
  {
    op: 'reduce',
    tensors: [[[2]], [[2, 3]]],
    call: ([o, x]) => be.reduce('max', o, x),
    free: [1],
  },
  { op: 'l2Norm', tensors: [[[1]], [[5]]], call: ([o, x]) => be.l2Norm(o, x), free: [1] },
  {
    op: 'adamw',
    tensors: [[[5]], [[5]], [[5]], [[5]]],
    call: ([p, g, m, v]) =>
      be.adamw(p, g, m, v, {
        lr: 1e-3,
        beta1: 0.9,
        beta2: 0.99,
        eps: 1e-8,
        weightDecay: 0,
        step: 1,
      }),
  },
  {
    op: 'clipByNorm',
    tensors: [[[5]], [[1]]],
    call: ([g, n]) => be.clipByNorm(g, n, 1),
    free: [0],
  },
  {
    op: 'groupNormalize',
    tensors: [[[6]], [[6]]],
    call: ([a, r]) => be.groupNormalize(a, r, 3),
  },
  {
    op: 'discountedSum',
    tensors: [[[2]], [[2, 3]]],
    call: ([o, r]) => be.discountedSum(o, r, 0.8),
    free: [1],
  },
  {
    op: 'maskedMean',
    tensors: [[[2]], [[2, 3]], [[2, 3]]],
    call: ([o, x, m]) => be.maskedMean(o, x, m),
  },
  {
    op: 'maskedMeanBackward',
    tensors: [[[2, 3]], [[2]], [[2, 3]]],
    call: ([dx, d, m]) => be.maskedMeanBackward(dx, d, m),
  },
  {
    op: 'writeRow',
    tensors: [[[2, 3, 4]], [[2, 4]]],
    call: ([dst, src]) => be.writeRow(dst, src, 1),
    anyDtype: true,
  },
  {
    op: 'attentionStep',
    tensors: [[[1, 2]], [[1, 2, 6]], [[1], 'i32']],
    call: ([o, qkv, p]) => be.attentionStep(o, qkv, 1, p, attnShape),
  },
  {
    op: 'sampleTokens',
    tensors: [[[2], 'i32'], [[2]], [[2, 5]], [[2]]],
    call: ([ids, lp, x, u]) => be.sampleTokens(ids, lp, x, u, 1, 0.9),
    free: [2],
  },
  {
    op: 'grpoTokenLoss',
    tensors: [[[4]], [[4]], [[4]], [[4]], [[4]], [[4]], [[4]]],
    call: ([l, g, logp, logpOld, logpRef, adv, mask]) =>
      be.grpoTokenLoss(l, g, { logp, logpOld, logpRef, adv, mask }, GRPO_SETTINGS),
  },
  {
    op: 'grpoTokenStats',
    tensors: [[[4]], [[4]], [[4]], [[4]], [[4]], [[4]], [[4]]],
    call: ([kl, c, logp, logpOld, logpRef, adv, mask]) =>
      be.grpoTokenStats(kl, c, { logp, logpOld, logpRef, adv, mask }, 0.2),
  },
];

function make(specs: Spec[]): Tensor[] {
  return specs.map(([shape, dtype]) => be.tensor(shape, dtype ?? 'f32'));
}

describe.each([
  ['cpu', cpu],
  ['wasm', wasm],
] as const)('%s: every op refuses broken arguments', (_kind, backend) => {
  beforeAll(() => {
    be = backend;
  });
  afterAll(() => {
    be = cpu;
  });

  it('covers every op of the Backend interface except memory management', () => {
    const ops = new Set(GOOD.map((g) => g.op));
    // validate holds one check per op of the interface (its type demands every op).
    const memory = ['zero', 'copy'];
    const missing = Object.keys(validate).filter((p) => !ops.has(p) && !memory.includes(p));
    expect(Object.keys(validate).length).toBeGreaterThan(30);
    expect(missing).toEqual([]);
  });

  for (const g of GOOD) {
    describe(g.op, () => {
      it('accepts the well-formed call', () => {
        expect(() => g.call(make(g.tensors))).not.toThrow();
      });

      it('refuses a released tensor in any position', () => {
        g.tensors.forEach((_, i) => {
          const ts = make(g.tensors);
          be.release(ts[i]);
          expectKernelError(() => g.call(ts), g.op, 'released', shapeString(ts[i].shape));
        });
      });

      it('refuses the wrong dtype in any position', () => {
        if (g.anyDtype) return;
        g.tensors.forEach(([shape, dtype], i) => {
          const ts = make(g.tensors);
          const wrong = dtype === 'i32' ? 'f32' : 'i32';
          ts[i] = be.tensor(shape, wrong);
          expectKernelError(() => g.call(ts), g.op, `must be ${dtype ?? 'f32'}, got ${wrong}`);
        });
      });

      it('refuses a mismatched shape in any position, naming it', () => {
        g.tensors.forEach(([shape, dtype], i) => {
          if (g.free?.includes(i)) return;
          const ts = make(g.tensors);
          const bad = [...shape.slice(0, -1), shape[shape.length - 1] + 1];
          ts[i] = be.tensor(bad, dtype ?? 'f32');
          expectKernelError(() => g.call(ts), g.op, shapeString(bad));
        });
      });
    });
  }
});

describe('specific shape messages', () => {
  it('matmul names both operands when the inner dimensions differ', () => {
    const e = kernelError(() => be.matmul(be.tensor([4, 2]), be.tensor([4, 3]), be.tensor([5, 2])));
    expect(e.message).toBe('matmul: inner dimensions differ: a (4,3) · b (5,2)');
  });

  it('matmul refuses different batch prefixes and 1-D operands', () => {
    expectKernelError(
      () => be.matmul(be.tensor([2, 2, 2]), be.tensor([2, 2, 3]), be.tensor([3, 3, 2])),
      'matmul',
      'batch prefixes differ',
      '(2,2,3)',
      '(3,3,2)',
    );
    expectKernelError(
      () => be.matmul(be.tensor([1, 1]), be.tensor([3]), be.tensor([3, 1])),
      'matmul',
      'a (3) must be at least 2-D',
    );
  });

  it('matmul with transposes checks the transposed dimensions', () => {
    expect(() =>
      be.matmul(be.tensor([2, 5]), be.tensor([3, 2]), be.tensor([5, 3]), {
        transA: true,
        transB: true,
      }),
    ).not.toThrow();
    expectKernelError(
      () => be.matmul(be.tensor([2, 5]), be.tensor([2, 3]), be.tensor([5, 4]), { transB: true }),
      'matmul',
      'inner dimensions differ',
      'transB',
    );
  });

  it('attention names the expected qkv shape when NH·HS disagrees with it', () => {
    expectKernelError(
      () =>
        be.attention(be.tensor([1, 2, 4]), be.tensor([1, 2, 2, 2]), be.tensor([1, 2, 6]), null, {
          B: 1,
          T: 2,
          NH: 2,
          HS: 2,
        }),
      'attention',
      'qkv (1,2,6) must be (1,2,12)',
    );
  });
});

describe('numeric settings', () => {
  const f = (n: number): Tensor => be.tensor([n]);
  it('groupNormalize: G must divide N and be a positive integer; eps > 0', () => {
    expectKernelError(() => be.groupNormalize(f(6), f(6), 4), 'groupNormalize', 'G=4', '(6)');
    expectKernelError(() => be.groupNormalize(f(6), f(6), 0), 'groupNormalize', 'G');
    expectKernelError(() => be.groupNormalize(f(6), f(6), 1.5), 'groupNormalize', 'G');
    expectKernelError(() => be.groupNormalize(f(6), f(6), 3, 0), 'groupNormalize', 'eps');
  });

  it('discountedSum: 0 ≤ γ ≤ 1', () => {
    expect(() => be.discountedSum(f(1), f(3), 0)).not.toThrow();
    expectKernelError(() => be.discountedSum(f(1), f(3), -0.1), 'discountedSum', 'gamma');
    expectKernelError(() => be.discountedSum(f(1), f(3), 1.5), 'discountedSum', 'gamma');
    expectKernelError(() => be.discountedSum(f(1), f(3), NaN), 'discountedSum', 'gamma');
  });

  it('layerNorm: eps > 0', () => {
    const x = be.tensor([2, 3]);
    const call = (eps: number) => () =>
      be.layerNorm({ out: be.tensor([2, 3]), mean: f(2), rstd: f(2), x, w: f(3), b: f(3) }, eps);
    expectKernelError(call(0), 'layerNorm', 'eps');
    expectKernelError(call(-1e-5), 'layerNorm', 'eps');
  });

  it('adamw: lr ≥ 0, betas in [0,1), eps > 0, weight decay ≥ 0, integer step ≥ 1', () => {
    const s = { lr: 1e-3, beta1: 0.9, beta2: 0.99, eps: 1e-8, weightDecay: 0.1, step: 1 };
    const bad = [
      { lr: -1 },
      { beta1: 1 },
      { beta2: -0.1 },
      { eps: 0 },
      { weightDecay: -0.1 },
      { step: 0 },
      { step: 1.5 },
    ];
    for (const b of bad) {
      const key = Object.keys(b)[0];
      expectKernelError(() => be.adamw(f(2), f(2), f(2), f(2), { ...s, ...b }), 'adamw', key);
    }
  });

  it('clipByNorm: maxNorm > 0; scale: finite s; unknown kinds', () => {
    expectKernelError(() => be.clipByNorm(f(3), f(1), 0), 'clipByNorm', 'maxNorm');
    expectKernelError(() => be.scale(f(3), f(3), Infinity), 'scale', 's must be finite');
    expectKernelError(
      () => be.activation('swish' as 'gelu', f(3), f(3)),
      'activation',
      "unknown activation 'swish'",
    );
    expectKernelError(
      () => be.reduce('min' as 'max', f(1), f(3)),
      'reduce',
      "unknown reduction 'min'",
    );
  });
});

describe('memory', () => {
  it('tensor refuses empty, zero, negative and fractional dimensions', () => {
    for (const shape of [[], [0], [2, -1], [1.5]]) {
      expectKernelError(() => be.tensor(shape), 'tensor', shapeString(shape));
    }
  });

  it('write refuses the wrong length and the wrong array type', () => {
    const x = be.tensor([2, 3]);
    const ids = be.tensor([2], 'i32');
    expectKernelError(() => be.write(x, [1, 2, 3]), 'write', '(2,3)', '6', '3');
    expectKernelError(() => be.write(x, new Int32Array(6)), 'write', 'Int32Array', '(2,3)');
    expectKernelError(() => be.write(ids, new Float32Array(2)), 'write', 'Float32Array', '(2)');
    expectKernelError(() => be.write(ids, [1, 0.5]), 'write', 'non-integer', '(2)');
  });

  it('a released tensor cannot be read, written, zeroed, copied or released again', async () => {
    const x = be.tensor([3], 'f32', 'acts');
    be.release(x);
    expect(x.released).toBe(true);
    expectKernelError(() => be.read(x), 'read', "'acts'", '(3)', 'released');
    expectKernelError(() => be.write(x, [1, 2, 3]), 'write', 'released');
    expectKernelError(() => be.zero(x), 'zero', 'released');
    expectKernelError(() => be.copy(be.tensor([3]), x), 'copy', 'released');
    expectKernelError(() => be.release(x), 'release', 'released');
  });

  it('an unaligned view is fine on the CPU; a view past the end throws', async () => {
    const parent = be.tensor([10]);
    be.write(parent, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    const v = be.view(parent, 3, [2, 2]);
    expect(Array.from(await be.read(v))).toEqual([3, 4, 5, 6]);
    expectKernelError(() => be.view(parent, 8, [3]), 'view', '(3)', 'offset 8', '(10)');
    expectKernelError(() => be.view(parent, -1, [3]), 'view', 'offset -1');
    expectKernelError(() => be.view(v, 1, [4]), 'view', '(2,2)');
    expectKernelError(() => be.view(parent, 0, [0]), 'view', 'shape (0)');
  });

  it('views die with their parent; releasing a view leaves the parent alive', () => {
    const parent = be.tensor([8]);
    const a = be.view(parent, 0, [4]);
    const b = be.view(parent, 4, [4]);
    be.release(a);
    expect(parent.released).toBe(false);
    expect(b.released).toBe(false);
    be.release(parent);
    expect(b.released).toBe(true);
    expectKernelError(() => be.zero(b), 'zero', 'released');
    expectKernelError(() => be.view(parent, 0, [2]), 'view', 'released');
  });

  it('copy refuses different sizes and dtypes', () => {
    expectKernelError(() => be.copy(be.tensor([3]), be.tensor([4])), 'copy', '(3)', '(4)');
    expectKernelError(() => be.copy(be.tensor([3]), be.tensor([3], 'i32')), 'copy', 'must be f32');
  });

  it('a tensor from another backend is refused', () => {
    const alien: Tensor = {
      id: 1,
      name: 'alien',
      shape: [3],
      dtype: 'f32',
      size: 3,
      offset: 0,
      released: false,
    };
    expectKernelError(() => be.zero(alien), 'zero', "'alien'", 'another backend');
  });
});

describe.each([
  ['cpu', cpu],
  ['wasm', wasm],
] as const)('%s: index values are range-checked on the host', (_kind, backend) => {
  beforeAll(() => {
    be = backend;
  });
  afterAll(() => {
    be = cpu;
  });
  const ids = (xs: number[]): Tensor => {
    const t = be.tensor([xs.length], 'i32');
    be.write(t, xs);
    return t;
  };
  it('embedding ids must be in [0,V)', () => {
    const table = be.tensor([4, 2]);
    expectKernelError(
      () => be.embedding(be.tensor([2, 2]), ids([1, 4]), table),
      'embedding',
      'ids[1] = 4',
    );
    expectKernelError(
      () => be.embeddingBackward(table, be.tensor([2, 2]), ids([-1, 0])),
      'embeddingBackward',
      'ids[0] = -1',
    );
  });

  it('gatherRows ids must be < V; cross-entropy targets must be −1 or in [0,V)', () => {
    expectKernelError(
      () => be.gatherRows(be.tensor([2]), be.tensor([2, 3]), ids([0, 3])),
      'gatherRows',
      'ids[1] = 3',
    );
    expectKernelError(
      () => be.crossEntropy(be.tensor([2]), be.tensor([2, 3]), be.tensor([2, 3]), ids([3, 0])),
      'crossEntropy',
      'targets[0] = 3',
    );
    expectKernelError(
      () => be.crossEntropy(be.tensor([2]), be.tensor([2, 3]), be.tensor([2, 3]), ids([0, -2])),
      'crossEntropy',
      'targets[1] = -2',
    );
  });
});
