// Elementwise ops and activations, CPU reference.
import type { Activation } from '../backend';
import type { In, Out } from './arrays';

export function addForward(out: Out, a: In, b: In, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] + b[i];
}

export function mulForward(out: Out, a: In, b: In, n: number): void {
  for (let i = 0; i < n; i++) out[i] = a[i] * b[i];
}

export function scaleForward(out: Out, a: In, s: number, n: number): void {
  for (let i = 0; i < n; i++) out[i] = s * a[i];
}

const GELU_SCALE = Math.sqrt(2 / Math.PI);
const GELU_CUBE = 0.044715;

/** GPT-2's tanh approximation: 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))). */
export function gelu(x: number): number {
  return 0.5 * x * (1 + Math.tanh(GELU_SCALE * (x + GELU_CUBE * x * x * x)));
}

export function geluGrad(x: number): number {
  const u = GELU_SCALE * (x + GELU_CUBE * x * x * x);
  const th = Math.tanh(u);
  const sech2 = 1 - th * th;
  return 0.5 * (1 + th) + 0.5 * x * sech2 * GELU_SCALE * (1 + 3 * GELU_CUBE * x * x);
}

const FORWARD: Record<Activation, (x: number) => number> = {
  gelu,
  relu: (x) => (x > 0 ? x : 0),
  tanh: Math.tanh,
};

/** f'(x); relu's derivative at 0 is taken as 0. */
const DERIVATIVE: Record<Activation, (x: number) => number> = {
  gelu: geluGrad,
  relu: (x) => (x > 0 ? 1 : 0),
  tanh: (x) => {
    const t = Math.tanh(x);
    return 1 - t * t;
  },
};

/** out = f(x). out may alias x. */
export function activationForward(kind: Activation, out: Out, x: In, n: number): void {
  const f = FORWARD[kind];
  for (let i = 0; i < n; i++) out[i] = f(x[i]);
}

/** dx += f'(x) · dout. Accumulates. */
export function activationBackward(kind: Activation, dx: Out, x: In, dout: In, n: number): void {
  const df = DERIVATIVE[kind];
  for (let i = 0; i < n; i++) dx[i] += df(x[i]) * dout[i];
}
