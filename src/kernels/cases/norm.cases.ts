// Layer norm cases: awkward row widths (1, 513, 4099), many short rows, one GPT-sized block.
import type { OpCase } from '../selftest';
import { dims, finish, normalTensor } from './inputs';

const SHAPES: [number, number][] = [
  [1, 1],
  [1, 513],
  [257, 3],
  [7, 64],
  [128, 768],
  [2, 4099],
];

export const cases: OpCase[] = SHAPES.flatMap(([R, C]): OpCase[] => [
  {
    op: 'layerNorm',
    name: `layerNorm ${dims([R, C])}`,
    async run(be, rng) {
      // An offset mean makes the centring matter.
      const x = normalTensor(be, rng, [R, C], 2, 3);
      const w = normalTensor(be, rng, [C]);
      const b = normalTensor(be, rng, [C]);
      const out = be.tensor([R, C]);
      const mean = be.tensor([R]);
      const rstd = be.tensor([R]);
      be.layerNorm({ out, mean, rstd, x, w, b });
      return finish(be, [out, mean, rstd], [x, w, b, out, mean, rstd]);
    },
  },
  {
    op: 'layerNormBackward',
    name: `layerNormBackward ${dims([R, C])} accumulating`,
    async run(be, rng) {
      const x = normalTensor(be, rng, [R, C], 2, 3);
      const w = normalTensor(be, rng, [C]);
      const b = normalTensor(be, rng, [C]);
      const dout = normalTensor(be, rng, [R, C]);
      // Gradients start non-zero: the op must add to them.
      const dx = normalTensor(be, rng, [R, C]);
      const dw = normalTensor(be, rng, [C]);
      const db = normalTensor(be, rng, [C]);
      const out = be.tensor([R, C]);
      const mean = be.tensor([R]);
      const rstd = be.tensor([R]);
      be.layerNorm({ out, mean, rstd, x, w, b });
      be.layerNormBackward({ dx, dw, db, dout, x, w, mean, rstd });
      return finish(be, [dx, dw, db], [x, w, b, dout, dx, dw, db, out, mean, rstd]);
    },
  },
]);
