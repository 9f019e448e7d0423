// The GRPO math, CPU reference: the one place it is written. The kernels of every backend are
// tested against these functions, and src/rl's batch objective (rl/grpo/math.ts) is built
// from them. For the tokens of B = prompts·G sampled forecasts:
//
//   advantage  A     = (r − mean_g r)/(std_g r + eps)       population std over the group of G
//   ratio      ρ     = exp(logp − logpOld)                  logpOld: the sampling policy's
//   surrogate  pg    = −min(ρ·A, clip(ρ, 1−ε, 1+ε)·A)       PPO's clipped objective, negated
//   k3 KL      kl    = exp(logpRef − logp) − (logpRef − logp) − 1   ≥ 0; unbiased for KL(π‖ref)
//   loss       loss  = mask·(pg + β·kl)/normaliser
//   gradient   dlogp = mask·(−ρ·A·[not clipped] + β·(1 − exp(logpRef − logp)))/normaliser
//
// "Clipped" means the clipped term is STRICTLY smaller, so the min selects the constant
// branch and passes no gradient: A > 0 and ρ > 1+ε, or A < 0 and ρ < 1−ε. At the boundary
// (and for ratios inside the range) the gradient is the unclipped one, as with
// torch.min/clamp. Masked tokens (mask = 0) get exactly 0, whatever their log-probs hold.
import type { GrpoTokens } from '../backend';
import type { GrpoLossDims } from '../validate';
import type { In, Out } from './arrays';

/**
 * GRPO advantages: rewards(N) in groups of G consecutive samples → (r − mean_g)/(std_g + eps),
 * std the population standard deviation. The mean is taken of the rewards shifted by the
 * group's first one, so a group of equal rewards gives advantages of exactly 0 in any
 * precision (an unshifted f32 mean of five 0.03s is off by an ulp, and ulp/(0 + eps) is not
 * 0); the WGSL kernel shifts the same way. adv may alias rewards.
 */
export function groupNormalize(adv: Out, rewards: In, N: number, G: number, eps: number): void {
  for (let g0 = 0; g0 < N; g0 += G) {
    const r0 = rewards[g0];
    let mean = 0;
    for (let i = 0; i < G; i++) mean += (rewards[g0 + i] - r0) / G;
    mean += r0;
    let variance = 0;
    for (let i = 0; i < G; i++) variance += (rewards[g0 + i] - mean) ** 2 / G;
    const std = Math.sqrt(variance);
    for (let i = 0; i < G; i++) adv[g0 + i] = (rewards[g0 + i] - mean) / (std + eps);
  }
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

/** loss(N) and dlogp(N), both overwritten. */
export function grpoTokenLoss(loss: Out, dlogp: Out, t: GrpoTokens<In>, d: GrpoLossDims): void {
  const { N, clipEps, beta, normaliser } = d;
  const { logp, logpOld, logpRef, adv, mask } = t;
  for (let n = 0; n < N; n++) {
    if (mask[n] === 0) {
      loss[n] = 0;
      dlogp[n] = 0;
      continue;
    }
    const A = adv[n];
    const ratio = Math.exp(logp[n] - logpOld[n]);
    const w = mask[n] / normaliser;
    const kl = k3Kl(logp[n], logpRef[n]);
    loss[n] = w * (clippedSurrogate(ratio, A, clipEps) + beta * kl);
    dlogp[n] = w * (clippedSurrogateGrad(ratio, A, clipEps) + beta * k3KlGrad(logp[n], logpRef[n]));
  }
}

/** kl(N) = mask·k3 and clipped(N) = mask·[clipped], for logging. Both overwritten. */
export function grpoTokenStats(
  kl: Out,
  clipped: Out,
  t: GrpoTokens<In>,
  N: number,
  clipEps: number,
): void {
  const { logp, logpOld, logpRef, adv, mask } = t;
  for (let n = 0; n < N; n++) {
    if (mask[n] === 0) {
      kl[n] = 0;
      clipped[n] = 0;
      continue;
    }
    kl[n] = mask[n] * k3Kl(logp[n], logpRef[n]);
    const ratio = Math.exp(logp[n] - logpOld[n]);
    clipped[n] = isClipped(ratio, adv[n], clipEps) ? mask[n] : 0;
  }
}
