// Causal multi-head self-attention with a bidirectional prefix, CPU reference (llm.c's
// attention_forward/backward plus the prefix mask).
import type { AttentionDims } from '../validate';
import type { In, Out } from './arrays';

/**
 * Last key position query t may attend to: every position sees all earlier ones (causal),
 * and positions inside the prefix (t < P) see the whole prefix, so the bound is max(t, P−1).
 */
export function lastVisible(t: number, prefixLen: number, T: number): number {
  const P = Math.min(Math.max(prefixLen, 0), T);
  return t < P ? P - 1 : t;
}

/**
 * qkv(B,T,3C) packs q|k|v, head h at channels h·HS…; out(B,T,C); att(B,NH,T,T) gets the
 * probabilities, exactly 0 on masked entries. prefixLen(B) or null (pure causal).
 */
export function attentionForward(
  out: Out,
  att: Out,
  qkv: In,
  prefixLen: In | null,
  d: AttentionDims,
): void {
  const { B, T, NH, HS, C } = d;
  const scale = 1 / Math.sqrt(HS);
  const C3 = 3 * C;
  const pre = new Float64Array(T);
  const acc = new Float64Array(HS);
  for (let b = 0; b < B; b++) {
    const P = prefixLen ? prefixLen[b] : 0;
    for (let h = 0; h < NH; h++) {
      for (let t = 0; t < T; t++) {
        const q = (b * T + t) * C3 + h * HS;
        const last = lastVisible(t, P, T);
        let max = -Infinity;
        for (let t2 = 0; t2 <= last; t2++) {
          const k = (b * T + t2) * C3 + C + h * HS;
          let dot = 0;
          for (let i = 0; i < HS; i++) dot += qkv[q + i] * qkv[k + i];
          pre[t2] = dot * scale;
          max = Math.max(max, pre[t2]);
        }
        let sum = 0;
        for (let t2 = 0; t2 <= last; t2++) {
          pre[t2] = Math.exp(pre[t2] - max);
          sum += pre[t2];
        }
        const row = ((b * NH + h) * T + t) * T;
        for (let t2 = 0; t2 < T; t2++) att[row + t2] = t2 <= last ? pre[t2] / sum : 0;
        // out = Σ_t2 att·v, walking each value row contiguously (same order of t2 per i).
        acc.fill(0);
        for (let t2 = 0; t2 <= last; t2++) {
          const p = att[row + t2];
          const v = (b * T + t2) * C3 + 2 * C + h * HS;
          for (let i = 0; i < HS; i++) acc[i] += p * qkv[v + i];
        }
        const o = (b * T + t) * C + h * HS;
        for (let i = 0; i < HS; i++) out[o + i] = acc[i];
      }
    }
  }
}

/**
 * dqkv(B,T,3C) accumulates. datt(B,NH,T,T) is scratch: it receives ∂loss/∂att (0 where
 * masked). Masked entries have att = 0, so they contribute nothing to any gradient.
 */
export function attentionBackward(
  dqkv: Out,
  datt: Out,
  dout: In,
  qkv: In,
  att: In,
  d: AttentionDims,
): void {
  const { B, T, NH, HS, C } = d;
  const scale = 1 / Math.sqrt(HS);
  const C3 = 3 * C;
  for (let b = 0; b < B; b++) {
    for (let h = 0; h < NH; h++) {
      for (let t = 0; t < T; t++) {
        const row = ((b * NH + h) * T + t) * T;
        const o = (b * T + t) * C + h * HS;
        // out = Σ att·v  →  datt = dout·v, dv += att·dout
        for (let t2 = 0; t2 < T; t2++) {
          const p = att[row + t2];
          // Masked (att exactly 0): datt is defined as 0 and every product below is 0.
          if (p === 0) {
            datt[row + t2] = 0;
            continue;
          }
          const v = (b * T + t2) * C3 + 2 * C + h * HS;
          let dot = 0;
          for (let i = 0; i < HS; i++) {
            dot += dout[o + i] * qkv[v + i];
            dqkv[v + i] += p * dout[o + i];
          }
          datt[row + t2] = dot;
        }
        // softmax backward: dpre = att ⊙ (datt − Σ att⊙datt)
        let mix = 0;
        for (let t2 = 0; t2 < T; t2++) mix += att[row + t2] * datt[row + t2];
        const q = (b * T + t) * C3 + h * HS;
        for (let t2 = 0; t2 < T; t2++) {
          const dpre = att[row + t2] * (datt[row + t2] - mix) * scale;
          if (dpre === 0) continue;
          const k = (b * T + t2) * C3 + C + h * HS;
          for (let i = 0; i < HS; i++) {
            dqkv[q + i] += dpre * qkv[k + i];
            dqkv[k + i] += dpre * qkv[q + i];
          }
        }
      }
    }
  }
}
