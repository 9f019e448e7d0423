// Matmul and bias, CPU reference.
import type { MatmulDims, RowDims } from '../validate';
import type { In, Out } from './arrays';

/** One f64 output row, reused by every call (grown on demand; never shared across calls). */
let rowScratch = new Float64Array(256);

function rowAccumulator(N: number): Float64Array {
  if (rowScratch.length < N) rowScratch = new Float64Array(N);
  return rowScratch;
}

/**
 * out(batch,M,N) (+)= op(a)(batch,M,K) · op(b)(K,N), where op transposes when asked.
 * a is stored (batch,M,K), or (batch,K,M) with transA; b is (K,N), or (N,K) with transB,
 * with a batch prefix when bBatched. Overwrites unless `accumulate`.
 *
 * Loop orders that stream memory: with b stored (K,N), each output row is built as
 * Σ_k a[i,k]·b[k,:] in an f64 row (i-k-j: the inner loop walks b's row k and the
 * accumulator contiguously); with b stored (N,K) (transB), each output is a dot product of
 * two contiguous rows (i-j-k). Every output sums over k in increasing order, in f64.
 */
export function matmulForward(
  out: Out,
  a: In,
  b: In,
  d: MatmulDims,
  transA = false,
  transB = false,
  accumulate = false,
): void {
  const { batch, M, N, K, bBatched } = d;
  // Element strides of op(a) along (i,k).
  const [aI, aK] = transA ? [1, M] : [K, 1];
  for (let z = 0; z < batch; z++) {
    const aBase = z * M * K;
    const bBase = bBatched ? z * K * N : 0;
    const oBase = z * M * N;
    if (transB) {
      for (let i = 0; i < M; i++) {
        const aRow = aBase + i * aI;
        const o = oBase + i * N;
        for (let j = 0; j < N; j++) {
          const bRow = bBase + j * K;
          let sum = 0;
          if (aK === 1) {
            for (let k = 0; k < K; k++) sum += a[aRow + k] * b[bRow + k];
          } else {
            for (let k = 0; k < K; k++) sum += a[aRow + k * aK] * b[bRow + k];
          }
          out[o + j] = accumulate ? out[o + j] + sum : sum;
        }
      }
      continue;
    }
    const acc = rowAccumulator(N);
    for (let i = 0; i < M; i++) {
      acc.fill(0, 0, N);
      const aRow = aBase + i * aI;
      for (let k = 0; k < K; k++) {
        const aik = a[aRow + k * aK];
        const bRow = bBase + k * N;
        for (let j = 0; j < N; j++) acc[j] += aik * b[bRow + j];
      }
      const o = oBase + i * N;
      if (accumulate) {
        for (let j = 0; j < N; j++) out[o + j] += acc[j];
      } else {
        for (let j = 0; j < N; j++) out[o + j] = acc[j];
      }
    }
  }
}

/** out(R,C) = x(R,C) + bias(C). out may alias x. */
export function biasAddForward(out: Out, x: In, bias: In, d: RowDims): void {
  const { R, C } = d;
  for (let r = 0; r < R; r++) {
    for (let c = 0; c < C; c++) out[r * C + c] = x[r * C + c] + bias[c];
  }
}

/** dbias(C) += Σ_r dout(r,C). Accumulates. */
export function biasBackward(dbias: Out, dout: In, d: RowDims): void {
  const { R, C } = d;
  for (let c = 0; c < C; c++) {
    let sum = 0;
    for (let r = 0; r < R; r++) sum += dout[r * C + c];
    dbias[c] += sum;
  }
}
