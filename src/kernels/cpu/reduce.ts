// Row reductions and the global L2 norm, CPU reference (f64 accumulation).
import type { ReduceKind } from '../backend';
import type { RowDims } from '../validate';
import type { In, Out } from './arrays';

/** out(R) = sum | mean | max over the last dimension of x(R,C). */
export function reduceForward(kind: ReduceKind, out: Out, x: In, d: RowDims): void {
  const { R, C } = d;
  for (let r = 0; r < R; r++) {
    const o = r * C;
    if (kind === 'max') {
      let max = -Infinity;
      for (let c = 0; c < C; c++) max = Math.max(max, x[o + c]);
      out[r] = max;
    } else {
      let sum = 0;
      for (let c = 0; c < C; c++) sum += x[o + c];
      out[r] = kind === 'mean' ? sum / C : sum;
    }
  }
}

/** out(1) = √(Σ x²) over all n elements. */
export function l2NormForward(out: Out, x: In, n: number): void {
  let sq = 0;
  for (let i = 0; i < n; i++) sq += x[i] * x[i];
  out[0] = Math.sqrt(sq);
}
