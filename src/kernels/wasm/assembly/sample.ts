// Token sampling without truncation (topP = 1; src/kernels/cpu/sample.ts holds the definition
// and handles topP < 1): inverse CDF in token-id order over exp((logits − max)/temperature),
// argmax at temperature 0, logp = log softmax(logits)[id] at temperature 1. f64 sums as the
// reference, so the same uniform picks the same token.

/** Returns −1, or the first row whose logits have no finite maximum (nothing written for it). */
export function sampleTokens(
  ids: usize,
  logp: usize,
  logits: usize,
  uniforms: usize,
  B: i32,
  V: i32,
  temperature: f64,
): i32 {
  for (let b = 0; b < B; b++) {
    const o = logits + ((<usize>(b * V)) << 2);
    let mx: f64 = -Infinity;
    for (let v = 0; v < V; v++) mx = Math.max(mx, <f64>load<f32>(o + ((<usize>v) << 2)));
    if (!isFinite(mx)) return b;
    let id = 0;
    let total: f64 = 0;
    if (temperature == 0) {
      while (<f64>load<f32>(o + ((<usize>id) << 2)) != mx) id++;
    } else {
      for (let v = 0; v < V; v++)
        total += Math.exp((<f64>load<f32>(o + ((<usize>v) << 2)) - mx) / temperature);
      const target = <f64>load<f32>(uniforms + ((<usize>b) << 2)) * total;
      let running: f64 = 0;
      id = -1;
      for (let v = 0; v < V; v++) {
        running += Math.exp((<f64>load<f32>(o + ((<usize>v) << 2)) - mx) / temperature);
        id = v;
        if (running > target) break;
      }
    }
    // At temperature 1 the sampling weights are the softmax's: reuse their sum.
    let sum1: f64 = total;
    if (temperature != 1) {
      sum1 = 0;
      for (let v = 0; v < V; v++) sum1 += Math.exp(<f64>load<f32>(o + ((<usize>v) << 2)) - mx);
    }
    store<i32>(ids + ((<usize>b) << 2), id);
    store<f32>(
      logp + ((<usize>b) << 2),
      <f32>(<f64>load<f32>(o + ((<usize>id) << 2)) - mx - Math.log(sum1)),
    );
  }
  return -1;
}
