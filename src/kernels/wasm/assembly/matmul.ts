// Matmul, WebAssembly SIMD128 (AssemblyScript). All pointers are byte addresses in the one
// linear memory; sizes and strides are in elements.
//
// out(batch,M,N) (+)= op(a)(batch,M,K) · op(b)(K,N) — the CPU reference's contract
// (src/kernels/cpu/linear.ts), with f32 sums instead of f64.
//
// GotoBLAS-style blocking: for each block of KC values of k, op(b) is packed into panels of
// NR = 8 columns (KC×8 floats, stays in L1), then op(a) in blocks of MC rows is packed into
// micro-panels of MR = 4 rows (MC×KC floats, stays in L2). A 4×8 micro-kernel keeps its 32
// sums in eight f32x4 registers: per k it loads two vectors of b, splats four values of a
// and does eight multiply-adds, so each load feeds four or eight of them. Packing turns
// every transpose into the same contiguous inner loop. Edge tiles are computed in full on
// zero-padded panels and only their valid part is stored.

const MR: i32 = 4;
const NR: i32 = 8;
const KC: i32 = 256;
const MC: i32 = 64;

/** Bytes of scratch `matmul` needs for a given N: packed a block, packed b block, one tile. */
export function matmulScratchBytes(N: i32): i32 {
  const panels = (N + NR - 1) / NR;
  return (MC * KC + panels * NR * KC + MR * NR) * 4;
}

/**
 * The 4×4 block whose rows start at src + r·srcStride (bytes), stored transposed: its column
 * c goes to dst + c·dstStride. Packing is a copy, so the packed values are the same as the
 * scalar loops' bit for bit.
 */
function transposeStore(dst: usize, dstStride: usize, src: usize, srcStride: usize): void {
  const r0 = v128.load(src);
  const r1 = v128.load(src + srcStride);
  const r2 = v128.load(src + 2 * srcStride);
  const r3 = v128.load(src + 3 * srcStride);
  const t0 = v128.shuffle<f32>(r0, r1, 0, 4, 1, 5);
  const t1 = v128.shuffle<f32>(r0, r1, 2, 6, 3, 7);
  const t2 = v128.shuffle<f32>(r2, r3, 0, 4, 1, 5);
  const t3 = v128.shuffle<f32>(r2, r3, 2, 6, 3, 7);
  v128.store(dst, v128.shuffle<f32>(t0, t2, 0, 1, 4, 5));
  v128.store(dst + dstStride, v128.shuffle<f32>(t0, t2, 2, 3, 6, 7));
  v128.store(dst + 2 * dstStride, v128.shuffle<f32>(t1, t3, 0, 1, 4, 5));
  v128.store(dst + 3 * dstStride, v128.shuffle<f32>(t1, t3, 2, 3, 6, 7));
}

/**
 * Pack rows k0…k0+kc−1 of op(b) into panels of NR columns: panel p holds (k, c) at
 * dst[(p·kc + k)·NR + c]; columns past N are zero.
 */
function packB(dst: usize, b: usize, k0: i32, kc: i32, N: i32, bK: i32, bJ: i32): void {
  const panels = (N + NR - 1) / NR;
  for (let p = 0; p < panels; p++) {
    const j0 = p * NR;
    const w = min(NR, N - j0);
    let d = dst + ((<usize>(p * kc * NR)) << 2);
    if (bJ == 1 && w == NR) {
      let s = b + ((<usize>(k0 * bK + j0)) << 2);
      const step = (<usize>bK) << 2;
      for (let k = 0; k < kc; k++) {
        v128.store(d, v128.load(s));
        v128.store(d, v128.load(s, 16), 16);
        d += NR << 2;
        s += step;
      }
    } else if (bK == 1 && w == NR) {
      // op(b) = bᵀ: each column is a contiguous run of k; 4×4 transposes, then a scalar tail.
      const s = b + ((<usize>(j0 * bJ + k0)) << 2);
      const col = (<usize>bJ) << 2;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        const o = s + ((<usize>k) << 2);
        transposeStore(d, 32, o, col);
        transposeStore(d + 16, 32, o + 4 * col, col);
        d += 4 * (NR << 2);
      }
      for (; k < kc; k++) {
        const o = s + ((<usize>k) << 2);
        for (let c = 0; c < NR; c++)
          store<f32>(d + ((<usize>c) << 2), load<f32>(o + <usize>c * col));
        d += NR << 2;
      }
    } else {
      for (let k = 0; k < kc; k++) {
        const row = (k0 + k) * bK + j0 * bJ;
        for (let c = 0; c < NR; c++) {
          const v: f32 = c < w ? load<f32>(b + ((<usize>(row + c * bJ)) << 2)) : 0;
          store<f32>(d + ((<usize>c) << 2), v);
        }
        d += NR << 2;
      }
    }
  }
}

/**
 * Pack rows i0…i0+mc−1, columns k0…k0+kc−1 of op(a) into micro-panels of MR rows: panel q
 * holds (k, r) at dst[(q·kc + k)·MR + r]; rows past mc are zero.
 */
function packA(dst: usize, a: usize, i0: i32, mc: i32, k0: i32, kc: i32, aI: i32, aK: i32): void {
  const panels = (mc + MR - 1) / MR;
  for (let q = 0; q < panels; q++) {
    const r0 = q * MR;
    const h = min(MR, mc - r0);
    let d = dst + ((<usize>(q * kc * MR)) << 2);
    if (aI == 1 && h == MR) {
      let s = a + ((<usize>(i0 + r0 + k0 * aK)) << 2);
      const step = (<usize>aK) << 2;
      for (let k = 0; k < kc; k++) {
        v128.store(d, v128.load(s));
        d += MR << 2;
        s += step;
      }
    } else if (aK == 1 && h == MR) {
      // op(a) = a: each row is a contiguous run of k; 4×4 transposes, then a scalar tail.
      const s = a + ((<usize>((i0 + r0) * aI + k0)) << 2);
      const row = (<usize>aI) << 2;
      let k = 0;
      for (; k + 4 <= kc; k += 4) {
        transposeStore(d, 16, s + ((<usize>k) << 2), row);
        d += 4 * (MR << 2);
      }
      for (; k < kc; k++) {
        const o = s + ((<usize>k) << 2);
        for (let r = 0; r < MR; r++)
          store<f32>(d + ((<usize>r) << 2), load<f32>(o + <usize>r * row));
        d += MR << 2;
      }
    } else {
      for (let r = 0; r < MR; r++) {
        let dd = d + ((<usize>r) << 2);
        if (r < h) {
          let s = a + ((<usize>((i0 + r0 + r) * aI + k0 * aK)) << 2);
          const step = (<usize>aK) << 2;
          for (let k = 0; k < kc; k++) {
            store<f32>(dd, load<f32>(s));
            dd += MR << 2;
            s += step;
          }
        } else {
          for (let k = 0; k < kc; k++) {
            store<f32>(dd, 0);
            dd += MR << 2;
          }
        }
      }
    }
  }
}

/** Store one row of 8 sums at c (adding to what is there when `add`). */
function storeRow(c: usize, lo: v128, hi: v128, add: bool): void {
  if (add) {
    v128.store(c, f32x4.add(v128.load(c), lo));
    v128.store(c, f32x4.add(v128.load(c, 16), hi), 16);
  } else {
    v128.store(c, lo);
    v128.store(c, hi, 16);
  }
}

/** The 4×8 tile at c (row stride ldc bytes) (+)= packed a panel · packed b panel. */
function micro(
  ap: usize,
  bp: usize,
  kc: i32,
  c: usize,
  ldc: usize,
  add: bool,
  h: i32,
  w: i32,
  tile: usize,
): void {
  let c00 = f32x4.splat(0);
  let c01 = f32x4.splat(0);
  let c10 = f32x4.splat(0);
  let c11 = f32x4.splat(0);
  let c20 = f32x4.splat(0);
  let c21 = f32x4.splat(0);
  let c30 = f32x4.splat(0);
  let c31 = f32x4.splat(0);
  for (let k = 0; k < kc; k++) {
    const b0 = v128.load(bp);
    const b1 = v128.load(bp, 16);
    let a = v128.load32_splat(ap);
    c00 = f32x4.add(c00, f32x4.mul(a, b0));
    c01 = f32x4.add(c01, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 4);
    c10 = f32x4.add(c10, f32x4.mul(a, b0));
    c11 = f32x4.add(c11, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 8);
    c20 = f32x4.add(c20, f32x4.mul(a, b0));
    c21 = f32x4.add(c21, f32x4.mul(a, b1));
    a = v128.load32_splat(ap, 12);
    c30 = f32x4.add(c30, f32x4.mul(a, b0));
    c31 = f32x4.add(c31, f32x4.mul(a, b1));
    ap += MR << 2;
    bp += NR << 2;
  }
  if (h == MR && w == NR) {
    storeRow(c, c00, c01, add);
    storeRow(c + ldc, c10, c11, add);
    storeRow(c + 2 * ldc, c20, c21, add);
    storeRow(c + 3 * ldc, c30, c31, add);
    return;
  }
  storeRow(tile, c00, c01, false);
  storeRow(tile + 32, c10, c11, false);
  storeRow(tile + 64, c20, c21, false);
  storeRow(tile + 96, c30, c31, false);
  for (let r = 0; r < h; r++) {
    for (let j = 0; j < w; j++) {
      const dst = c + <usize>r * ldc + ((<usize>j) << 2);
      const v = load<f32>(tile + ((<usize>(r * NR + j)) << 2));
      store<f32>(dst, add ? load<f32>(dst) + v : v);
    }
  }
}

/**
 * Rows rowStart…rowEnd−1 of every matrix of the batch (a worker's share of the rows).
 * `scratch` holds matmulScratchBytes(N) bytes for this caller alone.
 */
export function matmulRows(
  out: usize,
  a: usize,
  b: usize,
  batch: i32,
  M: i32,
  N: i32,
  K: i32,
  transA: bool,
  transB: bool,
  accumulate: bool,
  bBatched: bool,
  scratch: usize,
  rowStart: i32,
  rowEnd: i32,
): void {
  const aI = transA ? 1 : K;
  const aK = transA ? M : 1;
  const bK = transB ? 1 : N;
  const bJ = transB ? K : 1;
  const pa = scratch;
  const pb = scratch + ((<usize>(MC * KC)) << 2);
  const panelsB = (N + NR - 1) / NR;
  const tile = pb + ((<usize>(panelsB * NR * KC)) << 2);
  const ldc = (<usize>N) << 2;
  for (let z = 0; z < batch; z++) {
    const aZ = a + ((<usize>(z * M * K)) << 2);
    const bZ = bBatched ? b + ((<usize>(z * K * N)) << 2) : b;
    const oZ = out + ((<usize>(z * M * N)) << 2);
    if (K == 0 && !accumulate) {
      memory.fill(oZ + <usize>rowStart * ldc, 0, <usize>(rowEnd - rowStart) * ldc);
    }
    for (let k0 = 0; k0 < K; k0 += KC) {
      const kc = min(KC, K - k0);
      packB(pb, bZ, k0, kc, N, bK, bJ);
      const add = accumulate || k0 > 0;
      for (let i0 = rowStart; i0 < rowEnd; i0 += MC) {
        const mc = min(MC, rowEnd - i0);
        packA(pa, aZ, i0, mc, k0, kc, aI, aK);
        for (let p = 0; p < panelsB; p++) {
          const j0 = p * NR;
          const w = min(NR, N - j0);
          const bp = pb + ((<usize>(p * kc * NR)) << 2);
          for (let ii = 0; ii < mc; ii += MR) {
            const ap = pa + ((<usize>(ii * kc)) << 2);
            const c = oZ + <usize>(i0 + ii) * ldc + ((<usize>j0) << 2);
            micro(ap, bp, kc, c, ldc, add, min(MR, mc - ii), w, tile);
          }
        }
      }
    }
  }
}
