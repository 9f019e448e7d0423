// Row reductions and the global L2 norm. Values are shifted negative for max, so a kernel
// that starts its maximum at 0 instead of −∞ fails.
import type { ReduceKind } from '../backend';
import type { OpCase } from '../selftest';
import { dims, finish, normalTensor } from './inputs';

const SHAPES: number[][] = [[1, 1], [1, 513], [257, 33], [1000], [512, 1024]];
const KINDS: ReduceKind[] = ['sum', 'mean', 'max'];

const reduceCases = KINDS.flatMap((kind) =>
  SHAPES.map((shape): OpCase => ({
    op: 'reduce',
    name: `reduce ${kind} ${dims(shape)}`,
    async run(be, rng) {
      const x = normalTensor(be, rng, shape, 2, kind === 'max' ? -10 : 0);
      const rows = shape.length === 1 ? 1 : shape[0];
      const out = normalTensor(be, rng, [rows], 100); // overwritten
      be.reduce(kind, out, x);
      return finish(be, [out], [x, out]);
    },
  })),
);

const normCases = [[1], [513], [257, 33], [100_003]].map((shape): OpCase => ({
  op: 'l2Norm',
  name: `l2Norm ${dims(shape)}`,
  async run(be, rng) {
    const x = normalTensor(be, rng, shape);
    const out = normalTensor(be, rng, [1], 100); // overwritten
    be.l2Norm(out, x);
    return finish(be, [out], [x, out]);
  },
}));

export const cases: OpCase[] = [...reduceCases, ...normCases];
