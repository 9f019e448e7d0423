// biasAdd and biasBackward cases: odd row widths, a single row, many rows, 3-D rows, in place.
import type { Backend } from '../backend';
import type { OpCase } from '../selftest';
import type { Rng } from '../../rng';
import { dims, finish, normalTensor } from './inputs';

function biasAddCase(shape: number[], inPlace = false): OpCase {
  const C = shape[shape.length - 1];
  return {
    op: 'biasAdd',
    name: `biasAdd ${dims(shape)}${inPlace ? ' in place' : ''}`,
    async run(be: Backend, rng: Rng) {
      const x = normalTensor(be, rng, shape);
      const bias = normalTensor(be, rng, [C]);
      const out = inPlace ? x : be.tensor(shape);
      be.biasAdd(out, x, bias);
      return finish(be, [out], inPlace ? [x, bias] : [x, bias, out]);
    },
  };
}

/** dbias starts non-zero: the op accumulates. */
function biasBackwardCase(shape: number[]): OpCase {
  const C = shape[shape.length - 1];
  return {
    op: 'biasBackward',
    name: `biasBackward ${dims(shape)}`,
    async run(be: Backend, rng: Rng) {
      const dout = normalTensor(be, rng, shape);
      const dbias = normalTensor(be, rng, [C]);
      be.biasBackward(dbias, dout);
      return finish(be, [dbias], [dout, dbias]);
    },
  };
}

export const cases: OpCase[] = [
  biasAddCase([1, 1]),
  biasAddCase([37, 129]),
  biasAddCase([3, 5, 7], true),
  biasBackwardCase([1, 1]),
  biasBackwardCase([1, 513]),
  biasBackwardCase([300, 65]),
  biasBackwardCase([2, 513, 3]),
];
