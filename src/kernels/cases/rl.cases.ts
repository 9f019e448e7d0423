// GRPO reductions: group advantages (rewards exact in f32, so all-equal groups are exactly
// equal and give 0), discounted sums for γ in {0, 0.8, 1}, and masked means with empty rows.
import type { OpCase } from '../selftest';
import type { Backend, Tensor } from '../backend';
import type { Rng } from '../../rng';
import { choiceTensor, dims, finish, normalTensor } from './inputs';

/** [N samples, G group size, reward values]: binary rewards make some groups all-equal. */
const GROUPS: [number, number, number[]][] = [
  [1, 1, [0, 1]],
  [5, 5, [0, 0.25, 0.5, 1]],
  [520, 8, [0, 1]],
  [4096, 16, [0, 0.5, 1]],
];

const groupCases = GROUPS.map(([N, G, values]): OpCase => ({
  op: 'groupNormalize',
  name: `groupNormalize N=${N} G=${G} rewards {${values.join(',')}}`,
  async run(be, rng) {
    const rewards = choiceTensor(be, rng, [N], values);
    const adv = normalTensor(be, rng, [N], 100); // overwritten
    be.groupNormalize(adv, rewards, G);
    return finish(be, [adv], [rewards, adv]);
  },
}));

/** [B, H, γ] */
const DISCOUNT: [number, number, number][] = [
  [1, 1, 0.8],
  [257, 10, 0.8],
  [33, 7, 1],
  [33, 7, 0],
  [4096, 16, 0.8],
];

const discountCases = DISCOUNT.map(([B, H, gamma]): OpCase => ({
  op: 'discountedSum',
  name: `discountedSum ${dims([B, H])} γ=${gamma}`,
  async run(be, rng) {
    const rewards = normalTensor(be, rng, [B, H]);
    const out = normalTensor(be, rng, [B], 100); // overwritten
    be.discountedSum(out, rewards, gamma);
    return finish(be, [out], [rewards, out]);
  },
}));

/**
 * A mostly-zero 0/1 mask of shape (B,T): the first row always starts with a 1 and, when
 * B > 1, the last row is all zeros, so every case has a live row and larger ones an empty
 * row (divisor max(1, 0) = 1).
 */
function maskTensor(be: Backend, rng: Rng, B: number, T: number): Tensor {
  const data = new Float32Array(B * T);
  for (let i = 0; i < B * T; i++) data[i] = rng.chance(0.25) ? 1 : 0;
  data[0] = 1;
  if (B > 1) data.fill(0, (B - 1) * T);
  const t = be.tensor([B, T]);
  be.write(t, data);
  return t;
}

const MASKED: [number, number][] = [
  [1, 1],
  [1, 513],
  [257, 33],
  [64, 1024],
];

const maskedCases = MASKED.flatMap(([B, T]): OpCase[] => [
  {
    op: 'maskedMean',
    name: `maskedMean ${dims([B, T])}`,
    async run(be, rng) {
      const x = normalTensor(be, rng, [B, T]);
      const mask = maskTensor(be, rng, B, T);
      const out = normalTensor(be, rng, [B], 100); // overwritten
      be.maskedMean(out, x, mask);
      return finish(be, [out], [x, mask, out]);
    },
  },
  {
    op: 'maskedMeanBackward',
    name: `maskedMeanBackward ${dims([B, T])} accumulating`,
    async run(be, rng) {
      const dx = normalTensor(be, rng, [B, T]);
      const dout = normalTensor(be, rng, [B]);
      const mask = maskTensor(be, rng, B, T);
      be.maskedMeanBackward(dx, dout, mask);
      return finish(be, [dx], [dx, dout, mask]);
    },
  },
]);

export const cases: OpCase[] = [...groupCases, ...discountCases, ...maskedCases];
