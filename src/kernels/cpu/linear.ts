// Matmul and bias, CPU reference.
import type { MatmulDims, RowDims } from '../validate';
import type { In, Out } from './arrays';

/**
 * out(batch,M,N) (+)= op(a)(batch,M,K) · op(b)(K,N), where op transposes when asked.
 * a is stored (batch,M,K), or (batch,K,M) with transA; b is (K,N), or (N,K) with transB,
 * with a batch prefix when bBatched. Overwrites unless `accumulate`.
 *
 * Register-tiled: each pass over k computes a 4×4 block of outputs in sixteen local f64
 * sums, so every value loaded from a or b is used four times (JS is bound by loads and
 * their bounds checks, not by multiplies: about 3× faster than one dot product at a time).
 * Every output still sums over k in increasing order, in f64, so results do not depend on
 * the tiling. Edge rows and columns take the plain dot product.
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
  const M4 = M - (M % 4);
  const N4 = N - (N % 4);
  for (let z = 0; z < batch; z++) {
    const aBase = z * M * K;
    const bBase = bBatched ? z * K * N : 0;
    const oBase = z * M * N;
    for (let i = 0; i < M4; i += 4) {
      for (let j = 0; j < N4; j += 4) {
        let s00 = 0,
          s01 = 0,
          s02 = 0,
          s03 = 0;
        let s10 = 0,
          s11 = 0,
          s12 = 0,
          s13 = 0;
        let s20 = 0,
          s21 = 0,
          s22 = 0,
          s23 = 0;
        let s30 = 0,
          s31 = 0,
          s32 = 0,
          s33 = 0;
        let pa = aBase + i * aI;
        let pb = bBase + j * bJ;
        for (let k = 0; k < K; k++, pa += aK, pb += bK) {
          const a0 = a[pa],
            a1 = a[pa + aI],
            a2 = a[pa + 2 * aI],
            a3 = a[pa + 3 * aI];
          const b0 = b[pb],
            b1 = b[pb + bJ],
            b2 = b[pb + 2 * bJ],
            b3 = b[pb + 3 * bJ];
          s00 += a0 * b0;
          s01 += a0 * b1;
          s02 += a0 * b2;
          s03 += a0 * b3;
          s10 += a1 * b0;
          s11 += a1 * b1;
          s12 += a1 * b2;
          s13 += a1 * b3;
          s20 += a2 * b0;
          s21 += a2 * b1;
          s22 += a2 * b2;
          s23 += a2 * b3;
          s30 += a3 * b0;
          s31 += a3 * b1;
          s32 += a3 * b2;
          s33 += a3 * b3;
        }
        const o = oBase + i * N + j;
        store4(out, o, s00, s01, s02, s03, accumulate);
        store4(out, o + N, s10, s11, s12, s13, accumulate);
        store4(out, o + 2 * N, s20, s21, s22, s23, accumulate);
        store4(out, o + 3 * N, s30, s31, s32, s33, accumulate);
      }
      for (let r = i; r < i + 4; r++) {
        for (let j = N4; j < N; j++)
          dotInto(out, a, b, oBase, aBase, bBase, r, j, N, K, aI, aK, bK, bJ, accumulate);
      }
    }
    for (let i = M4; i < M; i++) {
      for (let j = 0; j < N; j++)
        dotInto(out, a, b, oBase, aBase, bBase, i, j, N, K, aI, aK, bK, bJ, accumulate);
    }
  }
}

function store4(
  out: Out,
  o: number,
  s0: number,
  s1: number,
  s2: number,
  s3: number,
  accumulate: boolean,
): void {
  if (accumulate) {
    out[o] += s0;
    out[o + 1] += s1;
    out[o + 2] += s2;
    out[o + 3] += s3;
  } else {
    out[o] = s0;
    out[o + 1] = s1;
    out[o + 2] = s2;
    out[o + 3] = s3;
  }
}

/** One output of matmulForward as a plain dot product (the edges of the 4×4 tiling). */
function dotInto(
  out: Out,
  a: In,
  b: In,
  oBase: number,
  aBase: number,
  bBase: number,
  i: number,
  j: number,
  N: number,
  K: number,
  aI: number,
  aK: number,
  bK: number,
  bJ: number,
  accumulate: boolean,
): void {
  let sum = 0;
  let pa = aBase + i * aI;
  let pb = bBase + j * bJ;
  for (let k = 0; k < K; k++, pa += aK, pb += bK) sum += a[pa] * b[pb];
  const o = oBase + i * N + j;
  out[o] = accumulate ? out[o] + sum : sum;
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
