// Reinforcement-learning reductions (discounted returns, masked means), CPU reference. The
// GRPO advantages and token loss are in grpo.ts.
import type { SeqDims } from '../validate';
import type { In, Out } from './arrays';

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
