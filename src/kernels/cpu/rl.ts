// Reinforcement-learning reductions (GRPO advantages, discounted returns, masked means),
// CPU reference.
import type { SeqDims } from '../validate';
import type { In, Out } from './arrays';

/**
 * GRPO advantages: rewards(N) in groups of G consecutive samples →
 * (r − mean_g)/(std_g + eps), std the population standard deviation of the group.
 */
export function groupNormalize(adv: Out, rewards: In, N: number, G: number, eps: number): void {
  for (let g0 = 0; g0 < N; g0 += G) {
    let sum = 0;
    for (let i = 0; i < G; i++) sum += rewards[g0 + i];
    const mean = sum / G;
    let sq = 0;
    for (let i = 0; i < G; i++) sq += (rewards[g0 + i] - mean) ** 2;
    const std = Math.sqrt(sq / G);
    for (let i = 0; i < G; i++) adv[g0 + i] = (rewards[g0 + i] - mean) / (std + eps);
  }
}

/** out(B) = Σ_t γ^t · rewards(B,H)[t]. */
export function discountedSum(out: Out, rewards: In, gamma: number, B: number, H: number): void {
  for (let b = 0; b < B; b++) {
    let sum = 0;
    let discount = 1;
    for (let t = 0; t < H; t++, discount *= gamma) sum += discount * rewards[b * H + t];
    out[b] = sum;
  }
}

/** max(1, Σ_t mask(b,t)): the divisor of row b. */
function maskCount(mask: In, b: number, T: number): number {
  let count = 0;
  for (let t = 0; t < T; t++) count += mask[b * T + t];
  return Math.max(1, count);
}

/** out(B) = Σ_t x(B,T)·mask(B,T) / max(1, Σ_t mask). */
export function maskedMeanForward(out: Out, x: In, mask: In, d: SeqDims): void {
  const { B, T } = d;
  for (let b = 0; b < B; b++) {
    let sum = 0;
    for (let t = 0; t < T; t++) sum += x[b * T + t] * mask[b * T + t];
    out[b] = sum / maskCount(mask, b, T);
  }
}

/** dx(B,T) += dout(B)·mask/max(1, Σ mask). Accumulates. */
export function maskedMeanBackward(dx: Out, dout: In, mask: In, d: SeqDims): void {
  const { B, T } = d;
  for (let b = 0; b < B; b++) {
    const g = dout[b] / maskCount(mask, b, T);
    for (let t = 0; t < T; t++) dx[b * T + t] += g * mask[b * T + t];
  }
}
