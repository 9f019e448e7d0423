// Discounted returns and masked means (src/kernels/cpu/rl.ts), scalar in f64 with the
// reference's operations in the same order: small (B, H) and (B, T) reductions.

function at(p: usize, n: i32): f64 {
  return <f64>load<f32>(p + ((<usize>n) << 2));
}

/** out(B) = Σ_t γ^t · rewards(B,H)[t]. */
export function discountedSum(out: usize, rewards: usize, gamma: f64, B: i32, H: i32): void {
  for (let b = 0; b < B; b++) {
    let sum: f64 = 0;
    let discount: f64 = 1;
    for (let t = 0; t < H; t++, discount *= gamma) sum += discount * at(rewards, b * H + t);
    store<f32>(out + ((<usize>b) << 2), <f32>sum);
  }
}

/** max(1, Σ_t mask(b,t)). */
function maskCount(mask: usize, b: i32, T: i32): f64 {
  let count: f64 = 0;
  for (let t = 0; t < T; t++) count += at(mask, b * T + t);
  return max(1, count);
}

/** out(B) = Σ_t x(B,T)·mask(B,T) / max(1, Σ_t mask). */
export function maskedMeanForward(out: usize, x: usize, mask: usize, B: i32, T: i32): void {
  for (let b = 0; b < B; b++) {
    let sum: f64 = 0;
    for (let t = 0; t < T; t++) sum += at(x, b * T + t) * at(mask, b * T + t);
    store<f32>(out + ((<usize>b) << 2), <f32>(sum / maskCount(mask, b, T)));
  }
}

/** dx(B,T) += dout(B)·mask/max(1, Σ mask). Accumulates. */
export function maskedMeanBackward(dx: usize, dout: usize, mask: usize, B: i32, T: i32): void {
  for (let b = 0; b < B; b++) {
    const g = at(dout, b) / maskCount(mask, b, T);
    for (let t = 0; t < T; t++) {
      const o = dx + ((<usize>(b * T + t)) << 2);
      store<f32>(o, <f32>(<f64>load<f32>(o) + g * at(mask, b * T + t)));
    }
  }
}
