// add, mul, scale, copy and zero cases: one element, odd sizes, more than one workgroup row,
// in place.
import type { Backend, Tensor } from '../backend';
import type { OpCase } from '../selftest';
import type { Rng } from '../../rng';
import { dims, finish, intTensor, normalTensor } from './inputs';

const SHAPES = [[1], [1000], [3, 333], [70001]];

function binaryCase(op: 'add' | 'mul', shape: number[], inPlace = false): OpCase {
  return {
    op,
    name: `${op} ${dims(shape)}${inPlace ? ' in place' : ''}`,
    async run(be: Backend, rng: Rng) {
      const a = normalTensor(be, rng, shape);
      const b = normalTensor(be, rng, shape);
      const out = inPlace ? a : be.tensor(shape);
      be[op](out, a, b);
      return finish(be, [out], inPlace ? [a, b] : [a, b, out]);
    },
  };
}

function scaleCase(shape: number[], inPlace = false): OpCase {
  return {
    op: 'scale',
    name: `scale ${dims(shape)}${inPlace ? ' in place' : ''}`,
    async run(be: Backend, rng: Rng) {
      const a = normalTensor(be, rng, shape);
      const s = rng.uniform(-3, 3);
      const out = inPlace ? a : be.tensor(shape);
      be.scale(out, a, s);
      return finish(be, [out], inPlace ? [a] : [a, out]);
    },
  };
}

function copyCase(shape: number[], dtype: 'f32' | 'i32'): OpCase {
  return {
    op: 'copy',
    name: `copy ${dtype} ${dims(shape)}`,
    async run(be: Backend, rng: Rng) {
      const a: Tensor =
        dtype === 'f32' ? normalTensor(be, rng, shape) : intTensor(be, rng, shape, -1000, 1000);
      const out = be.tensor(shape, dtype);
      be.copy(out, a);
      return finish(be, [out], [a, out]);
    },
  };
}

function zeroCase(shape: number[]): OpCase {
  return {
    op: 'zero',
    name: `zero ${dims(shape)}`,
    async run(be: Backend, rng: Rng) {
      const a = normalTensor(be, rng, shape);
      be.zero(a);
      return finish(be, [a], [a]);
    },
  };
}

export const cases: OpCase[] = [
  ...SHAPES.map((s) => binaryCase('add', s)),
  binaryCase('add', [257], true),
  ...SHAPES.map((s) => binaryCase('mul', s)),
  binaryCase('mul', [257], true),
  ...SHAPES.map((s) => scaleCase(s)),
  scaleCase([129], true),
  copyCase([1], 'f32'),
  copyCase([4099], 'f32'),
  copyCase([513], 'i32'),
  zeroCase([1]),
  zeroCase([4099]),
];
