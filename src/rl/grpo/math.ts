// The GRPO math of stage 1 (and 2) as pure CPU functions in f64: the reference the tests hold
// the GPU wiring (objective.ts) and the kernels to. For B = prompts·G sampled forecasts, row b
// of length len_b (forecast tokens through <eos>):
//
//   advantage   A_b  = (r_b − mean_g r)/(std_g r + eps)     population std over b's group of G
//   ratio       ρ    = exp(logp − logpOld)                  logpOld: the sampling policy's
//   surrogate   pg   = −min(ρ·A, clip(ρ, 1−ε, 1+ε)·A)       PPO's clipped objective, negated
//   k3 KL       kl   = exp(logpRef − logp) − (logpRef − logp) − 1   ≥ 0; unbiased for KL(π‖ref)
//   loss        L    = Σ_b Σ_{t<len_b} w_bt · (pg + β·kl)
//   weights     'token':    w = 1 / Σ_b len_b    every sampled token counts the same
//               'sequence': w = 1 / (B · len_b)  every forecast counts the same (GRPO paper)
//   gradient    ∂L/∂logp_bt = w_bt · (−ρ·A·[not clipped] + β·(1 − exp(logpRef − logp)))
//
// "Clipped" is the branch where the min picks the constant clipped term, which passes no
// gradient: A > 0 and ρ > 1+ε, or A < 0 and ρ < 1−ε (at the boundary the gradient flows).

/** Matches the groupNormalize kernel's default. */
export const ADVANTAGE_EPS = 1e-6;

/** How the per-token losses are averaged (see the header). */
export type LossNormalisation = 'token' | 'sequence';

/** Group-normalised advantages: rewards in groups of G consecutive samples. */
export function groupAdvantages(
  rewards: ArrayLike<number>,
  G: number,
  eps = ADVANTAGE_EPS,
): Float64Array {
  const N = rewards.length;
  if (!Number.isInteger(G) || G < 1 || N % G !== 0)
    throw new Error(`groupAdvantages: G=${G} does not divide ${N} rewards`);
  const adv = new Float64Array(N);
  for (let g0 = 0; g0 < N; g0 += G) {
    // Shifted by the group's first reward, so a group of equal rewards gets exactly 0.
    let mean = 0;
    for (let i = 0; i < G; i++) mean += (rewards[g0 + i] - rewards[g0]) / G;
    mean += rewards[g0];
    let variance = 0;
    for (let i = 0; i < G; i++) variance += (rewards[g0 + i] - mean) ** 2 / G;
    const std = Math.sqrt(variance);
    for (let i = 0; i < G; i++) adv[g0 + i] = (rewards[g0 + i] - mean) / (std + eps);
  }
  return adv;
}

/** True when the min picks the clipped term (no gradient through the ratio). */
export function isClipped(ratio: number, adv: number, clipEps: number): boolean {
  return adv > 0 ? ratio > 1 + clipEps : adv < 0 ? ratio < 1 - clipEps : false;
}

/** pg = −min(ρ·A, clip(ρ, 1−ε, 1+ε)·A). */
export function clippedSurrogate(ratio: number, adv: number, clipEps: number): number {
  const clipped = Math.min(Math.max(ratio, 1 - clipEps), 1 + clipEps);
  return -Math.min(ratio * adv, clipped * adv);
}

/** ∂pg/∂logp (dρ/dlogp = ρ): −ρ·A, or 0 on the clipped branch. */
export function clippedSurrogateGrad(ratio: number, adv: number, clipEps: number): number {
  return isClipped(ratio, adv, clipEps) ? 0 : -ratio * adv;
}

/** k3 = exp(logpRef − logp) − (logpRef − logp) − 1. */
export function k3Kl(logp: number, logpRef: number): number {
  const d = logpRef - logp;
  return Math.exp(d) - d - 1;
}

/** ∂k3/∂logp = 1 − exp(logpRef − logp). */
export function k3KlGrad(logp: number, logpRef: number): number {
  return 1 - Math.exp(logpRef - logp);
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
