// Causal multi-head attention with a bidirectional prefix: forward, backward and the decode
// step, over qkv(B,T,3C) packing q|k|v (head h at channels h·HS…). The same math and masks as
// the CPU reference (src/kernels/cpu/attention.ts, decode.ts); rows of HS are SIMD.
import { axpy, dot, expShifted, scaleRow } from './simd';

/** Last key position query t sees: max(t, P−1) inside the prefix, t after it. */
function lastVisible(t: i32, prefixLen: i32, T: i32): i32 {
  const P = min(max(prefixLen, 0), T);
  return t < P ? P - 1 : t;
}

/** prefixLen[b], or 0 when there is no prefix tensor (address 0). */
function prefixOf(prefix: usize, b: i32): i32 {
  return prefix == 0 ? 0 : load<i32>(prefix + ((<usize>b) << 2));
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
  const C3 = 3 * C;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  for (let b = 0; b < B; b++) {
    const P = prefixOf(prefix, b);
    for (let h = 0; h < NH; h++) {
      for (let t = 0; t < T; t++) {
        const row = att + ((<usize>(((b * NH + h) * T + t) * T)) << 2);
        const q = qkv + ((<usize>((b * T + t) * C3 + h * HS)) << 2);
        const last = lastVisible(t, P, T);
        let mx: f32 = -Infinity;
        for (let t2 = 0; t2 <= last; t2++) {
          const k = qkv + ((<usize>((b * T + t2) * C3 + C + h * HS)) << 2);
          const s = dot(q, k, HS) * scale;
          store<f32>(row + ((<usize>t2) << 2), s);
          mx = max(mx, s);
        }
        const sum = expShifted(row, row, mx, last + 1);
        scaleRow(row, <f32>(1 / sum), last + 1);
        if (last + 1 < T)
          memory.fill(row + ((<usize>(last + 1)) << 2), 0, (<usize>(T - last - 1)) << 2);
        const o = out + ((<usize>((b * T + t) * C + h * HS)) << 2);
        memory.fill(o, 0, (<usize>HS) << 2);
        for (let t2 = 0; t2 <= last; t2++) {
          const v = qkv + ((<usize>((b * T + t2) * C3 + 2 * C + h * HS)) << 2);
          axpy(o, v, load<f32>(row + ((<usize>t2) << 2)), HS);
        }
      }
    }
  }
}

/** dqkv(B,T,3C) accumulates; datt(B,NH,T,T) receives ∂loss/∂att (0 where masked). */
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
  const C3 = 3 * C;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      for (let t = 0; t < T; t++) {
        const idx = (<usize>(((b * NH + h) * T + t) * T)) << 2;
        const arow = att + idx;
        const drow = datt + idx;
        const o = dout + ((<usize>((b * T + t) * C + h * HS)) << 2);
        let mix: f32 = 0;
        for (let t2 = 0; t2 < T; t2++) {
          const p = load<f32>(arow + ((<usize>t2) << 2));
          if (p == 0) {
            store<f32>(drow + ((<usize>t2) << 2), 0);
            continue;
          }
          const off = (<usize>((b * T + t2) * C3 + 2 * C + h * HS)) << 2;
          const d = dot(o, qkv + off, HS);
          axpy(dqkv + off, o, p, HS);
          store<f32>(drow + ((<usize>t2) << 2), d);
          mix += p * d;
        }
        const qo = (<usize>((b * T + t) * C3 + h * HS)) << 2;
        for (let t2 = 0; t2 < T; t2++) {
          const p = load<f32>(arow + ((<usize>t2) << 2));
          const dpre = p * (load<f32>(drow + ((<usize>t2) << 2)) - mix) * scale;
          if (dpre == 0) continue;
          const ko = (<usize>((b * T + t2) * C3 + C + h * HS)) << 2;
          axpy(dqkv + qo, qkv + ko, dpre, HS);
          axpy(dqkv + ko, qkv + qo, dpre, HS);
        }
      }
    }
  }
}

/**
 * out(B,C) = attention output of query `pos` against keys 0…lastVisible(pos). `scores` is
 * scratch of T floats.
 */
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
  const C3 = 3 * C;
  const scale: f32 = 1 / Mathf.sqrt(<f32>HS);
  for (let b = 0; b < B; b++) {
    const last = lastVisible(pos, prefixOf(prefix, b), T);
    for (let h = 0; h < NH; h++) {
      const q = qkv + ((<usize>((b * T + pos) * C3 + h * HS)) << 2);
      let mx: f32 = -Infinity;
      for (let t2 = 0; t2 <= last; t2++) {
        const k = qkv + ((<usize>((b * T + t2) * C3 + C + h * HS)) << 2);
        const s = dot(q, k, HS) * scale;
        store<f32>(scores + ((<usize>t2) << 2), s);
        mx = max(mx, s);
      }
      const sum = expShifted(scores, scores, mx, last + 1);
      const inv = <f32>(1 / sum);
      const o = out + ((<usize>(b * C + h * HS)) << 2);
      memory.fill(o, 0, (<usize>HS) << 2);
      for (let t2 = 0; t2 <= last; t2++) {
        const v = qkv + ((<usize>((b * T + t2) * C3 + 2 * C + h * HS)) << 2);
        axpy(o, v, load<f32>(scores + ((<usize>t2) << 2)) * inv, HS);
      }
    }
  }
}
