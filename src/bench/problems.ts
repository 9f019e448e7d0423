// The problems every implementation is timed on, built once from one seed so that ours,
// TF.js and onnxruntime-web multiply the same numbers, plus a spot check of each result: a
// benchmark of a kernel that computes the wrong thing is worthless.

import { Rng } from '../rng';

export const MATMUL_SIZES = [128, 256, 512, 1024] as const;

/** The MLP of the issue: 256→512→512→64, ReLU, softmax cross-entropy, batch 256. */
export const MLP_SIZES = [256, 512, 512, 64] as const;
export const MLP_BATCH = 256;
export const MLP_LR = 1e-3;
/** Steps recorded back to back (one wait at the end) for the pipelined figure. */
export const PIPELINED_STEPS = 8;

export interface MatmulProblem {
  n: number;
  /** (n, n) row-major, uniform in [-1, 1). */
  a: Float32Array;
  b: Float32Array;
}

export function matmulProblem(n: number, seed = 1): MatmulProblem {
  const rng = new Rng(seed * 7919 + n);
  const fill = () => Float32Array.from({ length: n * n }, () => rng.uniform(-1, 1));
  return { n, a: fill(), b: fill() };
}

export interface MlpProblem {
  /** (B, sizes[0]) inputs, standard normal. */
  x: Float32Array;
  /** (B) class ids in [0, classes). */
  targets: Int32Array;
  /** Per layer: w (in, out) He-normal and b (out) zero. */
  weights: { w: Float32Array; b: Float32Array }[];
}

export function mlpProblem(seed = 2): MlpProblem {
  const rng = new Rng(seed);
  const classes = MLP_SIZES[MLP_SIZES.length - 1];
  const x = Float32Array.from({ length: MLP_BATCH * MLP_SIZES[0] }, () => rng.normal());
  const targets = Int32Array.from({ length: MLP_BATCH }, () => rng.int(0, classes - 1));
  const weights = [];
  for (let l = 0; l + 1 < MLP_SIZES.length; l++) {
    const [fanIn, fanOut] = [MLP_SIZES[l], MLP_SIZES[l + 1]];
    const std = Math.sqrt(2 / fanIn);
    const w = Float32Array.from({ length: fanIn * fanOut }, () => rng.normal(0, std));
    weights.push({ w, b: new Float32Array(fanOut) });
  }
  return { x, targets, weights };
}

/**
 * Compare 32 entries of out = a·b (spread over the matrix, corners included) with f64 dot
 * products. Returns null when all agree, else a message naming the first bad entry.
 */
export function checkProduct(p: MatmulProblem, out: ArrayLike<number>): string | null {
  const { n, a, b } = p;
  if (out.length !== n * n) return `result has ${out.length} elements, expected ${n * n}`;
  for (let s = 0; s < 32; s++) {
    const i = s === 0 ? 0 : s === 31 ? n - 1 : (s * 37) % n;
    const j = s === 0 ? 0 : s === 31 ? n - 1 : (s * 101 + 13) % n;
    let ref = 0;
    let mag = 0;
    for (let k = 0; k < n; k++) {
      ref += a[i * n + k] * b[k * n + j];
      mag += Math.abs(a[i * n + k] * b[k * n + j]);
    }
    const got = out[i * n + j];
    if (!(Math.abs(got - ref) <= 1e-4 * mag + 1e-5)) {
      return `out[${i},${j}] = ${got}, expected ${ref.toFixed(6)}`;
    }
  }
  return null;
}
