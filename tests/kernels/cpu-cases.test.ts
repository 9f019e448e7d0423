// The op cases for norm, softmax, attention, embedding, loss, reduce, optim and rl run on the
// CPU reference: the same seed must give bit-identical outputs (the parity check relies on
// it), a different seed different ones, and every output must be finite.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import type { OpCase } from '../../src/kernels/selftest';
import { Rng } from '../../src/rng';
import { cases as attention } from '../../src/kernels/cases/attention.cases';
import { cases as embedding } from '../../src/kernels/cases/embedding.cases';
import { cases as loss } from '../../src/kernels/cases/loss.cases';
import { cases as norm } from '../../src/kernels/cases/norm.cases';
import { cases as optim } from '../../src/kernels/cases/optim.cases';
import { cases as reduce } from '../../src/kernels/cases/reduce.cases';
import { cases as rl } from '../../src/kernels/cases/rl.cases';
import { cases as softmax } from '../../src/kernels/cases/softmax.cases';

const CASES: OpCase[] = [
  ...norm,
  ...softmax,
  ...attention,
  ...embedding,
  ...loss,
  ...reduce,
  ...optim,
  ...rl,
];

/** Cases whose outputs are fixed by the math whatever the inputs (one-element rows). */
const CONSTANT_BY_MATH = new Set([
  'softmax 1×1', // [1]
  'softmaxBackward 1×1 overwriting', // [0]
  'logSoftmax 1×1', // [0]
  'logSoftmaxBackward 1×1 overwriting', // [0]
  'crossEntropy N=1 V=1 ignoring 0%', // loss 0, prob 1
  'crossEntropyBackward N=1 V=1 ignoring 0% overwriting', // [0]
  'groupNormalize N=1 G=1 rewards {0,1}', // a group of one has advantage 0
]);

const OWN_OPS = [
  'layerNorm',
  'layerNormBackward',
  'softmax',
  'softmaxBackward',
  'logSoftmax',
  'logSoftmaxBackward',
  'attention',
  'attentionBackward',
  'embedding',
  'embeddingBackward',
  'gatherRows',
  'gatherRowsBackward',
  'crossEntropy',
  'crossEntropyBackward',
  'reduce',
  'l2Norm',
  'adamw',
  'clipByNorm',
  'groupNormalize',
  'discountedSum',
  'maskedMean',
  'maskedMeanBackward',
];

function sameBits(a: Float32Array[], b: Float32Array[]): boolean {
  if (a.length !== b.length) return false;
  return a.every((x, i) => x.length === b[i].length && x.every((v, j) => Object.is(v, b[i][j])));
}

describe('op cases on the CPU reference', () => {
  it('every op of these families has cases, names are unique', () => {
    const names = CASES.map((c) => c.name);
    expect(new Set(names).size).toBe(names.length);
    for (const op of OWN_OPS) {
      expect(
        CASES.some((c) => c.op === op),
        op,
      ).toBe(true);
    }
    expect([...CONSTANT_BY_MATH].filter((n) => !names.includes(n))).toEqual([]);
  });

  const be = new CpuBackend();
  for (const c of CASES) {
    it(c.name, async () => {
      const first = await c.run(be, new Rng(1234));
      const again = await c.run(be, new Rng(1234));
      const other = await c.run(be, new Rng(99));
      expect(first.length).toBeGreaterThan(0);
      for (const out of first) expect(out.every(Number.isFinite)).toBe(true);
      expect(sameBits(first, again)).toBe(true);
      expect(sameBits(first, other)).toBe(CONSTANT_BY_MATH.has(c.name));
    });
  }
});
