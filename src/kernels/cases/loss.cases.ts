// Fused softmax + cross-entropy cases, with ignored (−1) targets and wide vocabularies.
import type { OpCase } from '../selftest';
import { finish, intTensor, normalTensor } from './inputs';

/** [N rows, V classes, share of ignored targets] */
const SHAPES: [number, number, number][] = [
  [1, 1, 0],
  [1, 513, 0],
  [257, 37, 0.2],
  [5, 3, 0.5],
  [256, 4096, 0.1],
  [2, 4099, 0],
];

export const cases: OpCase[] = SHAPES.flatMap(([N, V, ignored]): OpCase[] => [
  {
    op: 'crossEntropy',
    name: `crossEntropy N=${N} V=${V} ignoring ${ignored * 100}%`,
    async run(be, rng) {
      const logits = normalTensor(be, rng, [N, V], 4);
      const targets = intTensor(be, rng, [N], 0, V - 1, ignored);
      const losses = normalTensor(be, rng, [N], 100); // overwritten, ignored rows included
      const probs = be.tensor([N, V]);
      be.crossEntropy(losses, probs, logits, targets);
      return finish(be, [losses, probs], [logits, targets, losses, probs]);
    },
  },
  {
    op: 'crossEntropyBackward',
    name: `crossEntropyBackward N=${N} V=${V} ignoring ${ignored * 100}% overwriting`,
    async run(be, rng) {
      const logits = normalTensor(be, rng, [N, V], 4);
      const targets = intTensor(be, rng, [N], 0, V - 1, ignored);
      const dlosses = normalTensor(be, rng, [N]);
      const dlogits = normalTensor(be, rng, [N, V], 100);
      const losses = be.tensor([N]);
      const probs = be.tensor([N, V]);
      be.crossEntropy(losses, probs, logits, targets);
      be.crossEntropyBackward(dlogits, probs, targets, dlosses);
      return finish(be, [dlogits], [logits, targets, dlosses, dlogits, losses, probs]);
    },
  },
]);
