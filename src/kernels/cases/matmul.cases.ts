// matmul cases: odd sizes that are no tile multiple, every transpose combination, batched and
// shared b, accumulate, operands that are views of one pool, and one large 512³ product.
import { alignedSize, type Backend, type MatmulOptions, type Tensor } from '../backend';
import type { OpCase } from '../selftest';
import type { Rng } from '../../rng';
import { dims, finish, normalTensor } from './inputs';

interface MatmulCase {
  batch?: number[];
  M: number;
  N: number;
  K: number;
  /** b carries the batch prefix too (default: shared 2-D b). */
  bBatched?: boolean;
  opts?: MatmulOptions;
}

function flags(o: MatmulOptions = {}): string {
  return [o.transA && 'transA', o.transB && 'transB', o.accumulate && 'accumulate']
    .filter(Boolean)
    .join(' ');
}

function matmulCase(c: MatmulCase, tolerance?: number): OpCase {
  const prefix = c.batch ?? [];
  const { M, N, K } = c;
  const o = c.opts ?? {};
  const aShape = [...prefix, ...(o.transA ? [K, M] : [M, K])];
  const bShape = [...(c.bBatched ? prefix : []), ...(o.transB ? [N, K] : [K, N])];
  const outShape = [...prefix, M, N];
  const name = `matmul ${dims(aShape)} · ${dims(bShape)} ${flags(o)}`.trim();
  return {
    op: 'matmul',
    name,
    tolerance,
    async run(be: Backend, rng: Rng) {
      const a = normalTensor(be, rng, aShape);
      const b = normalTensor(be, rng, bShape);
      const out = o.accumulate ? normalTensor(be, rng, outShape) : be.tensor(outShape);
      be.matmul(out, a, b, o);
      return finish(be, [out], [a, b, out]);
    },
  };
}

/** a, b and out as views at 256-byte-aligned offsets of one pool (how model weights live). */
function pooledCase(M: number, N: number, K: number): OpCase {
  return {
    op: 'matmul',
    name: `matmul ${M}×${K} · ${K}×${N} views of one pool`,
    async run(be: Backend, rng: Rng) {
      const sizes = [M * K, K * N, M * N].map(alignedSize);
      const pool = be.tensor([sizes[0] + sizes[1] + sizes[2]], 'f32', 'pool');
      const a = be.view(pool, 0, [M, K]);
      const b = be.view(pool, sizes[0], [K, N]);
      const out = be.view(pool, sizes[0] + sizes[1], [M, N]);
      const fill = (t: Tensor): void => {
        const d = new Float32Array(t.size);
        for (let i = 0; i < d.length; i++) d[i] = rng.normal();
        be.write(t, d);
      };
      fill(a);
      fill(b);
      be.matmul(out, a, b);
      return finish(be, [out], [pool]);
    },
  };
}

export const cases: OpCase[] = [
  matmulCase({ M: 1, N: 1, K: 1 }),
  matmulCase({ M: 1, N: 513, K: 7 }),
  matmulCase({ M: 513, N: 1, K: 3 }),
  matmulCase({ M: 257, N: 129, K: 65 }),
  matmulCase({ M: 257, N: 129, K: 65, opts: { transA: true } }),
  matmulCase({ M: 257, N: 129, K: 65, opts: { transB: true } }),
  matmulCase({ M: 257, N: 129, K: 65, opts: { transA: true, transB: true } }),
  matmulCase({ M: 31, N: 33, K: 17, opts: { accumulate: true } }),
  matmulCase({ M: 31, N: 33, K: 17, opts: { transA: true, transB: true, accumulate: true } }),
  matmulCase({ batch: [3], M: 19, N: 23, K: 29, bBatched: true }),
  matmulCase({ batch: [2, 3], M: 9, N: 70, K: 11, bBatched: true, opts: { transB: true } }),
  matmulCase({ batch: [4], M: 13, N: 21, K: 66, opts: { transA: true, accumulate: true } }),
  pooledCase(37, 45, 53),
  matmulCase({ M: 512, N: 512, K: 512 }),
];
