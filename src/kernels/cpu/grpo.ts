// The per-token GRPO loss (PPO-style clipped ratio plus the k3 KL estimate to a frozen
// reference) and its gradient with respect to the token log-probs, CPU reference.
//   ratio = exp(logp − logpOld)
//   pg    = −min(ratio·A, clip(ratio, 1−ε, 1+ε)·A)
//   kl    = exp(logpRef − logp) − (logpRef − logp) − 1          (k3: ≥ 0, unbiased for KL)
//   loss  = mask·(pg + β·kl)/normaliser
//   dlogp = mask·(−ratio·A·[not clipped] + β·(1 − exp(logpRef − logp)))/normaliser
// "Clipped" means the clipped term is STRICTLY smaller, so the min selects the constant
// branch and passes no gradient: A > 0 and ratio > 1+ε, or A < 0 and ratio < 1−ε. At the
// boundary (and for ratios inside the range) the gradient is the unclipped one, as with
// torch.min/clamp. Masked tokens (mask = 0) get exactly 0, whatever their log-probs hold.
import type { GrpoTokens } from '../backend';
import type { GrpoLossDims } from '../validate';
import type { In, Out } from './arrays';

/** True when the token's policy-gradient term is clipped (passes no gradient). */
export function isClipped(ratio: number, adv: number, clipEps: number): boolean {
  return adv > 0 ? ratio > 1 + clipEps : adv < 0 ? ratio < 1 - clipEps : false;
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
    const clippedRatio = Math.min(Math.max(ratio, 1 - clipEps), 1 + clipEps);
    const pg = -Math.min(ratio * A, clippedRatio * A);
    const refRatio = Math.exp(logpRef[n] - logp[n]);
    const kl = refRatio - (logpRef[n] - logp[n]) - 1;
    const dpg = isClipped(ratio, A, clipEps) ? 0 : -ratio * A;
    const w = mask[n] / normaliser;
    loss[n] = w * (pg + beta * kl);
    dlogp[n] = w * (dpg + beta * (1 - refRatio));
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
    const diff = logpRef[n] - logp[n];
    kl[n] = mask[n] * (Math.exp(diff) - diff - 1);
    const ratio = Math.exp(logp[n] - logpOld[n]);
    clipped[n] = isClipped(ratio, adv[n], clipEps) ? mask[n] : 0;
  }
}
