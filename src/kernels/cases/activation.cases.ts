// activation and activationBackward cases for gelu, relu and tanh: inputs spread wide enough
// (std 4, plus ±20 extremes) to reach the saturated tails; backward accumulates into a
// non-zero dx.
import { sizeOf, type Activation, type Backend, type Tensor } from '../backend';
import type { OpCase } from '../selftest';
import type { Rng } from '../../rng';
import { dims, finish, normalTensor } from './inputs';

const KINDS: Activation[] = ['gelu', 'relu', 'tanh'];
const SHAPES = [[1], [1000], [7, 599]];

/** x ~ normal(0, 4) with ±20 and ±60 at the start, where tanh-based formulas can overflow. */
function wideInput(be: Backend, rng: Rng, shape: number[]): Tensor {
  const data = new Float32Array(sizeOf(shape));
  for (let i = 0; i < data.length; i++) data[i] = rng.normal(0, 4);
  [20, -20, 60, -60].forEach((v, i) => {
    if (i < data.length - 1) data[i] = v;
  });
  const x = be.tensor(shape);
  be.write(x, data);
  return x;
}

function forwardCase(kind: Activation, shape: number[]): OpCase {
  return {
    op: 'activation',
    name: `activation ${kind} ${dims(shape)}`,
    async run(be: Backend, rng: Rng) {
      const x = wideInput(be, rng, shape);
      const out = be.tensor(shape);
      be.activation(kind, out, x);
      return finish(be, [out], [x, out]);
    },
  };
}

function backwardCase(kind: Activation, shape: number[]): OpCase {
  return {
    op: 'activationBackward',
    name: `activationBackward ${kind} ${dims(shape)}`,
    async run(be: Backend, rng: Rng) {
      const x = wideInput(be, rng, shape);
      const dout = normalTensor(be, rng, shape);
      const dx = normalTensor(be, rng, shape);
      be.activationBackward(kind, dx, x, dout);
      return finish(be, [dx], [x, dout, dx]);
    },
  };
}

export const cases: OpCase[] = KINDS.flatMap((kind) => [
  ...SHAPES.map((s) => forwardCase(kind, s)),
  ...SHAPES.map((s) => backwardCase(kind, s)),
]);
