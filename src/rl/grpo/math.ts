// The GRPO objective over a batch of sampled forecasts, as pure CPU functions in f64: what the
// tests hold the training wiring (loss.ts, update.ts) to. The per-token math (advantages,
// clipped surrogate, k3 KL and their gradients) is the kernels' CPU reference,
// src/kernels/cpu/grpo.ts, re-exported here; this file adds how tokens are weighted. For
// B = prompts·G sampled forecasts, row b of length len_b (forecast tokens through <eos>):
//
//   loss        L    = Σ_b Σ_{t<len_b} w_bt · (pg + β·kl)
//   weights     'token':    w = 1 / Σ_b len_b    every sampled token counts the same
//               'sequence': w = 1 / (B · len_b)  every forecast counts the same (GRPO paper)
//   gradient    ∂L/∂logp_bt = w_bt · (∂pg/∂logp + β·∂kl/∂logp)
import {
  clippedSurrogate,
  clippedSurrogateGrad,
  groupNormalize,
  isClipped,
  k3Kl,
  k3KlGrad,
} from '../../kernels/cpu/grpo';
import { GROUP_NORMALIZE_EPS } from '../../kernels/validate';

export { clippedSurrogate, clippedSurrogateGrad, isClipped, k3Kl, k3KlGrad };

/** The groupNormalize kernel's default. */
export const ADVANTAGE_EPS = GROUP_NORMALIZE_EPS;

/** How the per-token losses are averaged (see the header). */
export type LossNormalisation = 'token' | 'sequence';

/** Group-normalised advantages in f64: rewards in groups of G consecutive samples. */
export function groupAdvantages(
  rewards: ArrayLike<number>,
  G: number,
  eps = ADVANTAGE_EPS,
): Float64Array {
  const N = rewards.length;
  if (!Number.isInteger(G) || G < 1 || N % G !== 0)
    throw new Error(`groupAdvantages: G=${G} does not divide ${N} rewards`);
  const adv = new Float64Array(N);
  groupNormalize(adv, rewards, N, G, eps);
  return adv;
}

/** Weight of every token of row b: see LossNormalisation. Rows of length 0 get no weight. */
export function tokenWeights(lengths: ArrayLike<number>, mode: LossNormalisation): Float64Array {
  const B = lengths.length;
  let total = 0;
  for (let b = 0; b < B; b++) total += lengths[b];
  const w = new Float64Array(B);
  for (let b = 0; b < B; b++) {
    if (lengths[b] === 0) continue;
    w[b] = mode === 'token' ? 1 / total : 1 / (B * lengths[b]);
  }
  return w;
}

export interface GrpoTokens {
  /** Forecast positions per row; the arrays below are (B, F), row b valid for t < lengths[b]. */
  F: number;
  lengths: ArrayLike<number>;
  logp: ArrayLike<number>;
  logpOld: ArrayLike<number>;
  logpRef: ArrayLike<number>;
  /** (B) one advantage per forecast. */
  adv: ArrayLike<number>;
}

export interface GrpoSettingsMath {
  clipEps: number;
  beta: number;
  normalisation: LossNormalisation;
}

export interface GrpoObjective {
  /** L, the loss minimised. */
  loss: number;
  /** (B, F) ∂L/∂logp, 0 past each row's length. */
  dlogp: Float64Array;
  /** Weighted mean k3 KL and fraction of clipped tokens (same weights as the loss). */
  kl: number;
  clipFraction: number;
}

/** The whole objective over a batch of sampled forecasts, and its gradient. */
export function grpoObjective(x: GrpoTokens, s: GrpoSettingsMath): GrpoObjective {
  const { F, lengths } = x;
  const B = lengths.length;
  const w = tokenWeights(lengths, s.normalisation);
  const dlogp = new Float64Array(B * F);
  let loss = 0;
  let kl = 0;
  let clipped = 0;
  for (let b = 0; b < B; b++) {
    const A = x.adv[b];
    for (let t = 0; t < lengths[b]; t++) {
      const n = b * F + t;
      const ratio = Math.exp(x.logp[n] - x.logpOld[n]);
      const k = k3Kl(x.logp[n], x.logpRef[n]);
      loss += w[b] * (clippedSurrogate(ratio, A, s.clipEps) + s.beta * k);
      dlogp[n] =
        w[b] *
        (clippedSurrogateGrad(ratio, A, s.clipEps) + s.beta * k3KlGrad(x.logp[n], x.logpRef[n]));
      kl += w[b] * k;
      if (isClipped(ratio, A, s.clipEps)) clipped += w[b];
    }
  }
  return { loss, dlogp, kl, clipFraction: clipped };
}

/** Entropy of softmax(logits) of one row, −Σ p log p. */
export function softmaxEntropy(logits: ArrayLike<number>, from = 0, V = logits.length): number {
  let max = -Infinity;
  for (let v = 0; v < V; v++) max = Math.max(max, logits[from + v]);
  let z = 0;
  for (let v = 0; v < V; v++) z += Math.exp(logits[from + v] - max);
  const logZ = Math.log(z) + max;
  let h = 0;
  for (let v = 0; v < V; v++) {
    const logp = logits[from + v] - logZ;
    h -= Math.exp(logp) * logp;
  }
  return h;
}
