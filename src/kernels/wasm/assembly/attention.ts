// Causal multi-head attention with a bidirectional prefix: forward, backward and the decode
// step, over qkv(B,T,3C) packing q|k|v (head h at channels h·HS…). The same math and masks as
// the CPU reference (src/kernels/cpu/attention.ts, decode.ts), f32 throughout.
//
// SIMD layout: scores take four keys at a time against one query (dotRows4: q is loaded once
// per four keys, one transpose-add gives four scores), and weighted sums of rows keep up to
// sixteen output channels in registers while they walk the rows (accumulateRows), so no
// output is loaded and stored once per key. The decode step calls the same attendRow as the
// forward, so it reproduces the forward's row bit for bit.
import { expf4, rowMax } from './simd';

/** Last key position query t sees: max(t, P−1) inside the prefix, t after it. */
function lastVisible(t: i32, P: i32): i32 {
  return t < P ? P - 1 : t;
}

/** prefixLen[b] clamped to [0, T], or 0 when there is no prefix tensor (address 0). */
function prefixOf(prefix: usize, b: i32, T: i32): i32 {
  return prefix == 0 ? 0 : min(max(load<i32>(prefix + ((<usize>b) << 2)), 0), T);
}

function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) +
    f32x4.extract_lane(v, 3)
  );
}

/** Σ a[i]·b[i] over n elements. */
function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s = hsum(acc);
  for (; i < n; i++) s += load<f32>(a + ((<usize>i) << 2)) * load<f32>(b + ((<usize>i) << 2));
  return s;
}

/** Four dot products q·r_j, r_j = r + j·stride bytes, n a multiple of 4, as one vector. */
function dotRows4(q: usize, r: usize, stride: usize, n: i32): v128 {
  let a0 = f32x4.splat(0);
  let a1 = f32x4.splat(0);
  let a2 = f32x4.splat(0);
  let a3 = f32x4.splat(0);
  for (let i = 0; i < n; i += 4) {
    const o = (<usize>i) << 2;
    const qv = v128.load(q + o);
    a0 = f32x4.add(a0, f32x4.mul(qv, v128.load(r + o)));
    a1 = f32x4.add(a1, f32x4.mul(qv, v128.load(r + stride + o)));
    a2 = f32x4.add(a2, f32x4.mul(qv, v128.load(r + 2 * stride + o)));
    a3 = f32x4.add(a3, f32x4.mul(qv, v128.load(r + 3 * stride + o)));
  }
  const u0 = f32x4.add(
    v128.shuffle<f32>(a0, a1, 0, 4, 1, 5),
    v128.shuffle<f32>(a0, a1, 2, 6, 3, 7),
  );
  const u1 = f32x4.add(
    v128.shuffle<f32>(a2, a3, 0, 4, 1, 5),
    v128.shuffle<f32>(a2, a3, 2, 6, 3, 7),
  );
  return f32x4.add(v128.shuffle<f32>(u0, u1, 0, 1, 4, 5), v128.shuffle<f32>(u0, u1, 2, 3, 6, 7));
}

/** out[j] = s · q·r_j for j in 0…n−1 (rows `stride` bytes apart). */
function scoreRows(out: usize, q: usize, r: usize, stride: usize, n: i32, HS: i32, s: f32): void {
  let j = 0;
  if ((HS & 3) == 0) {
    const sv = f32x4.splat(s);
    for (; j + 4 <= n; j += 4) {
      v128.store(
        out + ((<usize>j) << 2),
        f32x4.mul(dotRows4(q, r + <usize>j * stride, stride, HS), sv),
      );
    }
  }
  for (; j < n; j++) store<f32>(out + ((<usize>j) << 2), dot(q, r + <usize>j * stride, HS) * s);
}

/** In place: x[0…n) = softmax(x[0…n)). */
function softmaxRow(x: usize, n: i32): void {
  // The max in four lanes: max is exact in any order, so this is the scalar loop's value.
  const mx = rowMax(x, n);
  const mv = f32x4.splat(mx);
  let sv = f32x4.splat(0);
  let j = 0;
  for (; j + 4 <= n; j += 4) {
    const a = x + ((<usize>j) << 2);
    const e = expf4(f32x4.sub(v128.load(a), mv));
    v128.store(a, e);
    sv = f32x4.add(sv, e);
  }
  let sum = hsum(sv);
  for (; j < n; j++) {
    const a = x + ((<usize>j) << 2);
    const e = Mathf.exp(load<f32>(a) - mx);
    store<f32>(a, e);
    sum += e;
  }
  const inv = f32x4.splat(1 / sum);
  j = 0;
  for (; j + 4 <= n; j += 4) {
    const a = x + ((<usize>j) << 2);
    v128.store(a, f32x4.mul(v128.load(a), inv));
  }
  for (; j < n; j++) {
    const a = x + ((<usize>j) << 2);
    store<f32>(a, load<f32>(a) * f32x4.extract_lane(inv, 0));
  }
}

/**
 * out[c] += Σ_{j0 ≤ j < j1} w_j · row_j[c] for c < HS, where w_j = f32 at w + j·wStride and
 * row_j starts at r + j·rStride (bytes).
 */
function accumulateRows(
  out: usize,
  w: usize,
  wStride: usize,
  r: usize,
  rStride: usize,
  j0: i32,
  j1: i32,
  HS: i32,
): void {
  let c = 0;
  for (; c + 16 <= HS; c += 16) {
    const co = (<usize>c) << 2;
    let a0 = f32x4.splat(0);
    let a1 = f32x4.splat(0);
    let a2 = f32x4.splat(0);
    let a3 = f32x4.splat(0);
    for (let j = j0; j < j1; j++) {
      const p = v128.load32_splat(w + <usize>j * wStride);
      const row = r + <usize>j * rStride + co;
      a0 = f32x4.add(a0, f32x4.mul(p, v128.load(row)));
      a1 = f32x4.add(a1, f32x4.mul(p, v128.load(row, 16)));
      a2 = f32x4.add(a2, f32x4.mul(p, v128.load(row, 32)));
      a3 = f32x4.add(a3, f32x4.mul(p, v128.load(row, 48)));
    }
    const o = out + co;
    v128.store(o, f32x4.add(v128.load(o), a0));
    v128.store(o, f32x4.add(v128.load(o, 16), a1), 16);
    v128.store(o, f32x4.add(v128.load(o, 32), a2), 32);
    v128.store(o, f32x4.add(v128.load(o, 48), a3), 48);
  }
  for (; c + 4 <= HS; c += 4) {
    const co = (<usize>c) << 2;
    let a = f32x4.splat(0);
    for (let j = j0; j < j1; j++) {
      const p = v128.load32_splat(w + <usize>j * wStride);
      a = f32x4.add(a, f32x4.mul(p, v128.load(r + <usize>j * rStride + co)));
    }
    v128.store(out + co, f32x4.add(v128.load(out + co), a));
  }
  for (; c < HS; c++) {
    const co = (<usize>c) << 2;
    let a: f32 = 0;
    for (let j = j0; j < j1; j++) {
      a += load<f32>(w + <usize>j * wStride) * load<f32>(r + <usize>j * rStride + co);
    }
    store<f32>(out + co, load<f32>(out + co) + a);
  }
}

/**
 * One query against keys/values 0…last: probs[0…last] = softmax(scale·q·k), o = Σ probs·v
 * (overwrites o). k and v are the rows of key/value 0, `stride` bytes apart.
 */
function attendRow(
  o: usize,
  probs: usize,
  q: usize,
  k: usize,
  v: usize,
  stride: usize,
  last: i32,
  HS: i32,
  scale: f32,
): void {
  scoreRows(probs, q, k, stride, last + 1, HS, scale);
  softmaxRow(probs, last + 1);
  memory.fill(o, 0, (<usize>HS) << 2);
  accumulateRows(o, probs, 4, v, stride, 0, last + 1, HS);
}

/** out(B,T,C) and att(B,NH,T,T) (0 on masked entries) from qkv. */
export function attentionForward(
  out: usize,
  att: usize,
  qkv: usize,
  prefix: usize,
  B: i32,
  T: i32,
  NH: i32,
  HS: i32,
): void {
  const C = NH * HS;
  const stride = (<usize>(3 * C)) << 2;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  for (let b = 0; b < B; b++) {
    const P = prefixOf(prefix, b, T);
    const base = qkv + <usize>(b * T) * stride;
    for (let h = 0; h < NH; h++) {
      const hs = (<usize>(h * HS)) << 2;
      const k = base + ((<usize>C) << 2) + hs;
      const v = base + ((<usize>(2 * C)) << 2) + hs;
      for (let t = 0; t < T; t++) {
        const row = att + ((<usize>(((b * NH + h) * T + t) * T)) << 2);
        const last = lastVisible(t, P);
        const o = out + ((<usize>((b * T + t) * C)) << 2) + hs;
        attendRow(o, row, base + <usize>t * stride + hs, k, v, stride, last, HS, scale);
        if (last + 1 < T)
          memory.fill(row + ((<usize>(last + 1)) << 2), 0, (<usize>(T - last - 1)) << 2);
      }
    }
  }
}

/**
 * dqkv(B,T,3C) accumulates. datt(B,NH,T,T) is scratch; it ends holding ∂loss/∂(pre-softmax
 * scores) (0 where masked). Entries with att = 0 (the mask, or an exp that underflowed)
 * contribute nothing to any gradient, so each query's keys end at its last nonzero att and
 * each key's queries start at its first: the mask is read from att, no prefix is needed.
 */
export function attentionBackward(
  dqkv: usize,
  datt: usize,
  dout: usize,
  qkv: usize,
  att: usize,
  B: i32,
  T: i32,
  NH: i32,
  HS: i32,
): void {
  const C = NH * HS;
  const stride = (<usize>(3 * C)) << 2;
  const outStride = (<usize>C) << 2;
  const rowBytes = (<usize>T) << 2;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  for (let b = 0; b < B; b++) {
    const base = qkv + <usize>(b * T) * stride;
    const dbase = dqkv + <usize>(b * T) * stride;
    const obase = dout + <usize>(b * T) * outStride;
    for (let h = 0; h < NH; h++) {
      const hs = (<usize>(h * HS)) << 2;
      const kOff = ((<usize>C) << 2) + hs;
      const vOff = ((<usize>(2 * C)) << 2) + hs;
      const head = (<usize>((b * NH + h) * T * T)) << 2;
      // Per query: datt = dout·v, then dpre = att ⊙ (datt − Σ att⊙datt)·scale, dq += dpre·k.
      for (let t = 0; t < T; t++) {
        const arow = att + head + <usize>t * rowBytes;
        let last = T - 1;
        while (last >= 0 && load<f32>(arow + ((<usize>last) << 2)) == 0) last--;
        const drow = datt + head + <usize>t * rowBytes;
        const o = obase + <usize>t * outStride + hs;
        scoreRows(drow, o, base + vOff, stride, last + 1, HS, 1);
        let mix: f32 = 0;
        for (let j = 0; j <= last; j++) {
          mix += load<f32>(arow + ((<usize>j) << 2)) * load<f32>(drow + ((<usize>j) << 2));
        }
        // Elementwise, the same two products per entry in four lanes.
        const mixv = f32x4.splat(mix);
        const sv = f32x4.splat(scale);
        let j = 0;
        for (; j + 4 <= last + 1; j += 4) {
          const a = (<usize>j) << 2;
          const d = f32x4.sub(v128.load(drow + a), mixv);
          v128.store(drow + a, f32x4.mul(f32x4.mul(v128.load(arow + a), d), sv));
        }
        for (; j <= last; j++) {
          const a = (<usize>j) << 2;
          store<f32>(drow + a, load<f32>(arow + a) * (load<f32>(drow + a) - mix) * scale);
        }
        if (last + 1 < T)
          memory.fill(drow + ((<usize>(last + 1)) << 2), 0, (<usize>(T - last - 1)) << 2);
        accumulateRows(
          dbase + <usize>t * stride + hs,
          drow,
          4,
          base + kOff,
          stride,
          0,
          last + 1,
          HS,
        );
      }
      // Per key: dk += Σ_t dpre[t]·q[t], dv += Σ_t att[t]·dout[t] over the queries that see it.
      for (let j = 0; j < T; j++) {
        const col = (<usize>j) << 2;
        let t0 = 0;
        while (t0 < T && load<f32>(att + head + <usize>t0 * rowBytes + col) == 0) t0++;
        accumulateRows(
          dbase + <usize>j * stride + kOff,
          datt + head + col,
          rowBytes,
          base + hs,
          stride,
          t0,
          T,
          HS,
        );
        accumulateRows(
          dbase + <usize>j * stride + vOff,
          att + head + col,
          rowBytes,
          obase + hs,
          outStride,
          t0,
          T,
          HS,
        );
      }
    }
  }
}

/** out(B,C) = the attention output of query `pos` (row `pos` of the forward); `scores` holds T floats. */
export function attentionStep(
  out: usize,
  qkv: usize,
  prefix: usize,
  pos: i32,
  B: i32,
  T: i32,
  NH: i32,
  HS: i32,
  scores: usize,
): void {
  const C = NH * HS;
  const stride = (<usize>(3 * C)) << 2;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  for (let b = 0; b < B; b++) {
    const last = lastVisible(pos, prefixOf(prefix, b, T));
    const base = qkv + <usize>(b * T) * stride;
    for (let h = 0; h < NH; h++) {
      const hs = (<usize>(h * HS)) << 2;
      const o = out + ((<usize>(b * C)) << 2) + hs;
      const k = base + ((<usize>C) << 2) + hs;
      const v = base + ((<usize>(2 * C)) << 2) + hs;
      attendRow(o, scores, base + <usize>pos * stride + hs, k, v, stride, last, HS, scale);
    }
  }
}
