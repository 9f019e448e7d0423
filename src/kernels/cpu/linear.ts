// Matmul and bias, CPU reference.
import type { MatmulDims, RowDims } from '../validate';
import type { In, Out } from './arrays';

/**
 * out(batch,M,N) (+)= op(a)(batch,M,K) · op(b)(K,N), where op transposes when asked.
 * a is stored (batch,M,K), or (batch,K,M) with transA; b is (K,N), or (N,K) with transB,
 * with a batch prefix when bBatched. Overwrites unless `accumulate`.
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
  // Element strides of op(a) along (i,k) and op(b) along (k,j).
  const [aI, aK] = transA ? [1, M] : [K, 1];
  const [bK, bJ] = transB ? [1, K] : [N, 1];
  for (let z = 0; z < batch; z++) {
    const aBase = z * M * K;
    const bBase = bBatched ? z * K * N : 0;
    const oBase = z * M * N;
    for (let i = 0; i < M; i++) {
      for (let j = 0; j < N; j++) {
        let sum = 0;
        let ai = aBase + i * aI;
        let bj = bBase + j * bJ;
        for (let k = 0; k < K; k++, ai += aK, bj += bK) sum += a[ai] * b[bj];
        const o = oBase + i * N + j;
        out[o] = accumulate ? out[o] + sum : sum;
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
