// GRPO advantages and the per-token loss (src/kernels/cpu/grpo.ts holds the definition and
// the formulas), in f64 with the reference's operations in the same order.

/** adv(N) = (r − mean_g)/(std_g + eps) over groups of G, the mean taken shifted by the first reward. */
export function groupNormalize(adv: usize, rewards: usize, N: i32, G: i32, eps: f64): void {
  for (let g0 = 0; g0 < N; g0 += G) {
    const base = rewards + ((<usize>g0) << 2);
    const r0 = <f64>load<f32>(base);
    let mean: f64 = 0;
    for (let i = 0; i < G; i++) mean += (<f64>load<f32>(base + ((<usize>i) << 2)) - r0) / G;
    mean += r0;
    let variance: f64 = 0;
    for (let i = 0; i < G; i++) {
      const d = <f64>load<f32>(base + ((<usize>i) << 2)) - mean;
      variance += (d * d) / G;
    }
    const denom = Math.sqrt(variance) + eps;
    const out = adv + ((<usize>g0) << 2);
    for (let i = 0; i < G; i++) {
      const o = (<usize>i) << 2;
      store<f32>(out + o, <f32>((<f64>load<f32>(base + o) - mean) / denom));
    }
  }
}

function isClipped(ratio: f64, adv: f64, clipEps: f64): bool {
  return adv > 0 ? ratio > 1 + clipEps : adv < 0 ? ratio < 1 - clipEps : false;
}

function at(p: usize, n: i32): f64 {
  return <f64>load<f32>(p + ((<usize>n) << 2));
}

/** loss(N) and dlogp(N), both overwritten; masked tokens get exactly 0. */
export function grpoTokenLoss(
  loss: usize,
  dlogp: usize,
  logp: usize,
  logpOld: usize,
  logpRef: usize,
  adv: usize,
  mask: usize,
  N: i32,
  clipEps: f64,
  beta: f64,
  normaliser: f64,
): void {
  for (let n = 0; n < N; n++) {
    const o = (<usize>n) << 2;
    const mk = at(mask, n);
    if (mk == 0) {
      store<f32>(loss + o, 0);
      store<f32>(dlogp + o, 0);
      continue;
    }
    const A = at(adv, n);
    const lp = at(logp, n);
    const ratio = Math.exp(lp - at(logpOld, n));
    const w = mk / normaliser;
    const d = at(logpRef, n) - lp;
    const refRatio = Math.exp(d);
    const kl = refRatio - d - 1;
    const clippedRatio = Math.min(Math.max(ratio, 1 - clipEps), 1 + clipEps);
    const pg = -Math.min(ratio * A, clippedRatio * A);
    const dpg = isClipped(ratio, A, clipEps) ? 0 : -ratio * A;
    store<f32>(loss + o, <f32>(w * (pg + beta * kl)));
    store<f32>(dlogp + o, <f32>(w * (dpg + beta * (1 - refRatio))));
  }
}

/** kl(N) = mask·k3 and clipped(N) = mask·[clipped]. Both overwritten. */
export function grpoTokenStats(
  kl: usize,
  clipped: usize,
  logp: usize,
  logpOld: usize,
  logpRef: usize,
  adv: usize,
  mask: usize,
  N: i32,
  clipEps: f64,
): void {
  for (let n = 0; n < N; n++) {
    const o = (<usize>n) << 2;
    const mk = at(mask, n);
    if (mk == 0) {
      store<f32>(kl + o, 0);
      store<f32>(clipped + o, 0);
      continue;
    }
    const lp = at(logp, n);
    const d = at(logpRef, n) - lp;
    store<f32>(kl + o, <f32>(mk * (Math.exp(d) - d - 1)));
    const ratio = Math.exp(lp - at(logpOld, n));
    store<f32>(clipped + o, isClipped(ratio, at(adv, n), clipEps) ? <f32>mk : 0);
  }
}
