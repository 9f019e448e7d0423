// AdamW and clip-by-norm cases: first and later steps, with and without weight decay, norms
// both below and above the limit, and the norm read from memory after l2Norm wrote it.
import type { AdamWSettings } from '../backend';
import type { OpCase } from '../selftest';
import { finish, normalTensor, uniformTensor } from './inputs';

const ADAMW: [number, AdamWSettings][] = [
  [1, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0, step: 1 }],
  [513, { lr: 3e-4, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.1, step: 7 }],
  [257, { lr: 1e-2, beta1: 0.8, beta2: 0.99, eps: 1e-6, weightDecay: 0.01, step: 1000 }],
  [100_003, { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.1, step: 3 }],
];

const adamwCases = ADAMW.map(([n, s]): OpCase => ({
  op: 'adamw',
  name: `adamw n=${n} step=${s.step} wd=${s.weightDecay}`,
  async run(be, rng) {
    const params = normalTensor(be, rng, [n]);
    const grads = normalTensor(be, rng, [n], 0.1);
    // Moments as after earlier steps (zero on the first); v ≥ 0 as a second moment is.
    const m = s.step === 1 ? be.tensor([n]) : normalTensor(be, rng, [n], 0.05);
    const v = s.step === 1 ? be.tensor([n]) : uniformTensor(be, rng, [n], 0, 0.01);
    be.adamw(params, grads, m, v, s);
    return finish(be, [params, m, v], [params, grads, m, v]);
  },
}));

/** [n, maxNorm]: with unit normal grads the norm is about √n. */
const CLIP: [number, number][] = [
  [1, 0.5],
  [513, 100],
  [513, 1],
  [100_003, 10],
];

const clipCases = CLIP.map(([n, maxNorm]): OpCase => ({
  op: 'clipByNorm',
  name: `clipByNorm n=${n} maxNorm=${maxNorm} (norm ≈ ${Math.round(Math.sqrt(n))})`,
  async run(be, rng) {
    const grads = normalTensor(be, rng, [n]);
    const norm = be.tensor([1]);
    be.l2Norm(norm, grads);
    be.clipByNorm(grads, norm, maxNorm);
    return finish(be, [grads], [grads, norm]);
  },
}));

export const cases: OpCase[] = [...adamwCases, ...clipCases];
