// Token sampling (src/kernels/cpu/sample.ts holds the definition): inverse CDF in token-id
// order over exp((logits − max)/temperature), restricted to the top-p nucleus when topP < 1
// (sampleTokensTopP), argmax at temperature 0, logp = log softmax(logits)[id] at temperature 1.
// f64 sums as the reference, so the same uniform picks the same token.

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

// ---- top-p < 1: the nucleus needs the weights in order ----

/** Token a comes before token b in the nucleus order: weight descending, then id ascending. */
function before(w: usize, a: i32, b: i32): bool {
  const wa = load<f64>(w + ((<usize>a) << 3));
  const wb = load<f64>(w + ((<usize>b) << 3));
  return wa > wb || (wa == wb && a < b);
}

/** Restore the heap below `root` (its root is the token that comes last). */
function siftDown(order: usize, w: usize, root: i32, end: i32): void {
  while (true) {
    let child = 2 * root + 1;
    if (child >= end) return;
    let c = load<i32>(order + ((<usize>child) << 2));
    if (child + 1 < end) {
      const c2 = load<i32>(order + ((<usize>(child + 1)) << 2));
      if (before(w, c, c2)) {
        child++;
        c = c2;
      }
    }
    const r = load<i32>(order + ((<usize>root) << 2));
    if (!before(w, r, c)) return;
    store<i32>(order + ((<usize>root) << 2), c);
    store<i32>(order + ((<usize>child) << 2), r);
    root = child;
  }
}

/** order(V) = 0…V−1 sorted into nucleus order (heap sort: no allocation, O(V log V)). */
function sortNucleus(order: usize, w: usize, V: i32): void {
  for (let v = 0; v < V; v++) store<i32>(order + ((<usize>v) << 2), v);
  for (let start = V / 2 - 1; start >= 0; start--) siftDown(order, w, start, V);
  for (let end = V - 1; end > 0; end--) {
    const top = load<i32>(order);
    store<i32>(order, load<i32>(order + ((<usize>end) << 2)));
    store<i32>(order + ((<usize>end) << 2), top);
    siftDown(order, w, 0, end);
  }
}

/**
 * sampleTokens with temperature > 0 and topP < 1: the nucleus is the smallest set of tokens,
 * by weight descending then id ascending, whose mass reaches topP of the total; the token is
 * drawn from it by inverse CDF in id order. scratch holds V f64 weights, V i32 and V bytes.
 * Returns −1, or the first row whose logits have no finite maximum.
 */
export function sampleTokensTopP(
  ids: usize,
  logp: usize,
  logits: usize,
  uniforms: usize,
  B: i32,
  V: i32,
  temperature: f64,
  topP: f64,
  scratch: usize,
): i32 {
  const w = scratch;
  const order = w + ((<usize>V) << 3);
  const kept = order + ((<usize>V) << 2);
  for (let b = 0; b < B; b++) {
    const o = logits + ((<usize>(b * V)) << 2);
    let mx: f64 = -Infinity;
    for (let v = 0; v < V; v++) mx = Math.max(mx, <f64>load<f32>(o + ((<usize>v) << 2)));
    if (!isFinite(mx)) return b;
    let total: f64 = 0;
    for (let v = 0; v < V; v++) {
      const x = Math.exp((<f64>load<f32>(o + ((<usize>v) << 2)) - mx) / temperature);
      store<f64>(w + ((<usize>v) << 3), x);
      total += x;
    }
    sortNucleus(order, w, V);
    memory.fill(kept, 0, <usize>V);
    const goal = topP * total;
    let mass: f64 = 0;
    for (let k = 0; k < V; k++) {
      const v = load<i32>(order + ((<usize>k) << 2));
      store<u8>(kept + <usize>v, 1);
      mass += load<f64>(w + ((<usize>v) << 3));
      if (mass >= goal) break;
    }
    let nucleusMass: f64 = 0;
    for (let v = 0; v < V; v++) {
      if (load<u8>(kept + <usize>v)) nucleusMass += load<f64>(w + ((<usize>v) << 3));
    }
    const target = <f64>load<f32>(uniforms + ((<usize>b) << 2)) * nucleusMass;
    let running: f64 = 0;
    let id = -1;
    for (let v = 0; v < V; v++) {
      if (!load<u8>(kept + <usize>v)) continue;
      running += load<f64>(w + ((<usize>v) << 3));
      id = v;
      if (running > target) break;
    }
    let sum1: f64 = 0;
    for (let v = 0; v < V; v++) sum1 += Math.exp(<f64>load<f32>(o + ((<usize>v) << 2)) - mx);
    store<i32>(ids + ((<usize>b) << 2), id);
    store<f32>(
      logp + ((<usize>b) << 2),
      <f32>(<f64>load<f32>(o + ((<usize>id) << 2)) - mx - Math.log(sum1)),
    );
  }
  return -1;
}
