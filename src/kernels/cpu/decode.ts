// Decoding with a KV cache, CPU reference. The cache is the full-sequence qkv(B,T,3C) buffer
// itself: each step writes the new token's q|k|v into row `pos` (writeRow), then attends
// from that row (attentionStep) exactly as the full `attention` forward would.
import type { AttentionStepDims, WriteRowDims } from '../validate';
import type { In, Out } from './arrays';
import { lastVisible } from './attention';

/** dst(B,T,W)[b, pos, :] = src(B,W)[b, :]. */
export function writeRow(dst: Out | Int32Array, src: In, d: WriteRowDims): void {
  const { B, T, W, pos } = d;
  for (let b = 0; b < B; b++) {
    const to = (b * T + pos) * W;
    for (let i = 0; i < W; i++) dst[to + i] = src[b * W + i];
  }
}

/**
 * out(B,C) = row `pos` of attentionForward's out: the same mask (keys 0…lastVisible(pos)),
 * the same scale 1/√HS and the same order of operations (max, exp-sum, normalise, weigh).
 * The probabilities are rounded to out's precision, as attentionForward stores them in att,
 * so in f32 the result is bit-identical to the full forward's row.
 */
export function attentionStep(out: Out, qkv: In, prefixLen: In | null, d: AttentionStepDims): void {
  const { B, T, NH, HS, C, pos } = d;
  const round = out instanceof Float32Array ? Math.fround : (x: number) => x;
  const scale = 1 / Math.sqrt(HS);
  const C3 = 3 * C;
  const probs = new Float64Array(T);
  for (let b = 0; b < B; b++) {
    const last = lastVisible(pos, prefixLen ? prefixLen[b] : 0, T);
    for (let h = 0; h < NH; h++) {
      const q = (b * T + pos) * C3 + h * HS;
      let max = -Infinity;
      for (let t2 = 0; t2 <= last; t2++) {
        const k = (b * T + t2) * C3 + C + h * HS;
        let dot = 0;
        for (let i = 0; i < HS; i++) dot += qkv[q + i] * qkv[k + i];
        probs[t2] = dot * scale;
        max = Math.max(max, probs[t2]);
      }
      let sum = 0;
      for (let t2 = 0; t2 <= last; t2++) {
        probs[t2] = Math.exp(probs[t2] - max);
        sum += probs[t2];
      }
      for (let t2 = 0; t2 <= last; t2++) probs[t2] = round(probs[t2] / sum);
      const o = b * C + h * HS;
      for (let i = 0; i < HS; i++) {
        let acc = 0;
        for (let t2 = 0; t2 <= last; t2++) {
          acc += probs[t2] * qkv[(b * T + t2) * C3 + 2 * C + h * HS + i];
        }
        out[o + i] = acc;
      }
    }
  }
}
