// Token sampling with temperature and top-p, CPU reference. The definition the WebGPU kernel
// implements (it finds the same nucleus by bisection instead of sorting):
//   w[v]     = exp((logits[v] − max)/temperature)
//   nucleus  = the smallest set of tokens, taken by w descending then id ascending, whose
//              mass Σ w ≥ topP · Σ_all w   (topP = 1: every token)
//   id       = the first nucleus token, in id order, whose running nucleus mass exceeds
//              u · Σ_nucleus w   (inverse CDF with the caller's uniform u in [0,1))
//   temperature 0: id = argmax logits, lowest id on ties
//   logp     = log softmax(logits)[id] at temperature 1, untruncated: the policy's own
//              log-prob, so GRPO's old log-probs match the training forward's.
import { KernelError } from '../backend';
import type { SampleDims } from '../validate';
import type { In, Out } from './arrays';

/** ids(B), logp(B) from logits(B,V) and uniforms(B). */
export function sampleTokens(
  ids: Int32Array,
  logp: Out,
  logits: In,
  uniforms: In,
  d: SampleDims,
): void {
  const { B, V, temperature, topP } = d;
  const w = new Float64Array(V);
  for (let b = 0; b < B; b++) {
    const o = b * V;
    const u = uniforms[b];
    if (!(u >= 0 && u < 1)) {
      throw new KernelError('sampleTokens', `uniforms[${b}] = ${u} is not in [0,1)`);
    }
    let max = -Infinity;
    for (let v = 0; v < V; v++) max = Math.max(max, logits[o + v]);
    if (!Number.isFinite(max)) {
      throw new KernelError('sampleTokens', `logits row ${b} has no finite maximum (${max})`);
    }
    let id = 0;
    if (temperature === 0) {
      while (logits[o + id] !== max) id++;
    } else {
      let total = 0;
      for (let v = 0; v < V; v++) {
        w[v] = Math.exp((logits[o + v] - max) / temperature);
        total += w[v];
      }
      const kept = nucleus(w, total, topP);
      let mass = 0;
      for (let v = 0; v < V; v++) if (kept[v]) mass += w[v];
      const target = u * mass;
      let running = 0;
      id = -1;
      for (let v = 0; v < V; v++) {
        if (!kept[v]) continue;
        running += w[v];
        id = v;
        if (running > target) break;
      }
    }
    let sum1 = 0;
    for (let v = 0; v < V; v++) sum1 += Math.exp(logits[o + v] - max);
    ids[b] = id;
    logp[b] = logits[o + id] - max - Math.log(sum1);
  }
}

/** Which tokens form the top-p nucleus of weights w (sum `total`); ties go to the lower id. */
export function nucleus(w: Float64Array, total: number, topP: number): boolean[] {
  const kept = Array.from(w, () => topP >= 1);
  if (topP >= 1) return kept;
  const order = Array.from(w, (_, v) => v).sort((a, b) => w[b] - w[a] || a - b);
  const target = topP * total;
  let mass = 0;
  for (const v of order) {
    kept[v] = true;
    mass += w[v];
    if (mass >= target) break;
  }
  return kept;
}
