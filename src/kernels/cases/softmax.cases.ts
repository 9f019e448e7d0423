// Row softmax and log-softmax cases, forward and backward. Some rows carry a large offset
// so a kernel that skips the max subtraction overflows.
import type { Backend, Tensor } from '../backend';
import type { Rng } from '../../rng';
import type { OpCase } from '../selftest';
import { dims, finish, normalTensor } from './inputs';

const SHAPES: [number, number][] = [
  [1, 1],
  [1, 513],
  [257, 7],
  [3, 1000],
  [64, 4096],
  // One row much longer than a workgroup, not a multiple of it.
  [1, 4099],
];

/** Logits with std 3; every third row shifted by +80 (exp would overflow f32 unshifted). */
function logits(be: Backend, rng: Rng, R: number, C: number): Tensor {
  const data = new Float32Array(R * C);
  for (let r = 0; r < R; r++) {
    const shift = r % 3 === 2 ? 80 : 0;
    for (let c = 0; c < C; c++) data[r * C + c] = rng.normal(shift, 3);
  }
  const t = be.tensor([R, C]);
  be.write(t, data);
  return t;
}

const KINDS = [
  { forward: 'softmax', backward: 'softmaxBackward' },
  { forward: 'logSoftmax', backward: 'logSoftmaxBackward' },
] as const;

export const cases: OpCase[] = KINDS.flatMap(({ forward, backward }) =>
  SHAPES.flatMap(([R, C]): OpCase[] => [
    {
      op: forward,
      name: `${forward} ${dims([R, C])}`,
      async run(be, rng) {
        const x = logits(be, rng, R, C);
        const y = be.tensor([R, C]);
        be[forward](y, x);
        return finish(be, [y], [x, y]);
      },
    },
    {
      op: backward,
      name: `${backward} ${dims([R, C])} overwriting`,
      async run(be, rng) {
        const x = logits(be, rng, R, C);
        const dy = normalTensor(be, rng, [R, C]);
        // Garbage in dx: the op overwrites, so it must not leak into the result.
        const dx = normalTensor(be, rng, [R, C], 100);
        const y = be.tensor([R, C]);
        be[forward](y, x);
        be[backward](dx, y, dy);
        return finish(be, [dx], [x, dy, dx, y]);
      },
    },
  ]),
);
