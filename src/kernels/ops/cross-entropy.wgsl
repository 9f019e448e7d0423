// Fused softmax + cross-entropy over token rows logits(N,V), targets(N) i32 (−1 = ignored).
// Needs the row-reduce.wgsl prelude.
//   forward:   probs[n,v] = exp(logits[n,v] − m) / S,  m = max_v logits[n,v],
//              S = Σ_v exp(logits[n,v] − m)
//              losses[n] = m + log S − logits[n, targets[n]], or 0 when targets[n] < 0
//              (logsumexp − logit stays finite when the probability underflows)  overwrites
//   backward:  dlogits[n,v] = (probs[n,v] − [v = targets[n]]) · dlosses[n],
//              0 on ignored rows                                                  overwrites
// A target ≥ V cannot be checked here (the CPU backend reports it); it reads as ignored.
//
// Bindings:
//   p  uniform Params {N, V}
//   forward:   losses (N) written, probs (N,V) written, logits (N,V), targets (N) i32
//   backward:  dlogits (N,V) written, probs (N,V), dlosses (N), targets (N) i32
// Grid, forward:  grid1d(N, 1), workgroup (WG): one workgroup per row (the prelude's rowIndex);
//   forwardPerRow: grid1d(N, WG), one invocation per row.
// Grid, backward: grid1d(N·V, WG): i = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  N: u32,
  V: u32,
}

/** The lowest finite f32: the start of a running max (WGSL has no infinities). */
const LOWEST: f32 = -3.4028234e38;

@group(0) @binding(0) var<uniform> p: Params;

// forward
@group(0) @binding(1) var<storage, read_write> losses: array<f32>;
@group(0) @binding(2) var<storage, read_write> probs: array<f32>;
@group(0) @binding(3) var<storage, read_write> logits: array<f32>;
@group(0) @binding(4) var<storage, read_write> targets: array<i32>;

// backward (probs and targets as above)
@group(0) @binding(1) var<storage, read_write> dlogits: array<f32>;
@group(0) @binding(3) var<storage, read_write> dlosses: array<f32>;

// The target of row n, or −1 when it is ignored (or out of range).
fn targetOf(n: u32) -> i32 {
  let t = targets[n];
  return select(-1, t, t >= 0 && u32(t) < p.V);
}

@compute @workgroup_size(WG)
fn forward(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let n = rowIndex(wid, groups);
  if (n >= p.N) {
    return;
  }
  let o = n * p.V;
  var m = LOWEST;
  for (var v = lid.x; v < p.V; v += WG) {
    m = max(m, logits[o + v]);
  }
  let rowMaxValue = rowMax(m, lid.x);
  var s = 0.0;
  for (var v = lid.x; v < p.V; v += WG) {
    s += exp(logits[o + v] - rowMaxValue);
  }
  let total = rowSum(s, lid.x);
  for (var v = lid.x; v < p.V; v += WG) {
    probs[o + v] = exp(logits[o + v] - rowMaxValue) / total;
  }
  if (lid.x == 0u) {
    let t = targetOf(n);
    var loss = 0.0;
    if (t >= 0) {
      loss = rowMaxValue + log(total) - logits[o + u32(t)];
    }
    losses[n] = loss;
  }
}

// The forward with one invocation per row (software adapters, see row-reduce.ts): the same
// sums, serial, with no workgroup memory and no barriers. Grid: grid1d(N, WG).
@compute @workgroup_size(WG)
fn forwardPerRow(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let n = gid.x + gid.y * groups.x * WG;
  if (n >= p.N) {
    return;
  }
  let o = n * p.V;
  var m = LOWEST;
  for (var v = 0u; v < p.V; v++) {
    m = max(m, logits[o + v]);
  }
  var total = 0.0;
  for (var v = 0u; v < p.V; v++) {
    total += exp(logits[o + v] - m);
  }
  for (var v = 0u; v < p.V; v++) {
    probs[o + v] = exp(logits[o + v] - m) / total;
  }
  let t = targetOf(n);
  var loss = 0.0;
  if (t >= 0) {
    loss = m + log(total) - logits[o + u32(t)];
  }
  losses[n] = loss;
}

@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i >= p.N * p.V) {
    return;
  }
  let n = i / p.V;
  let v = i % p.V;
  let t = targetOf(n);
  let g = select(0.0, dlosses[n], t >= 0);
  let onehot = select(0.0, 1.0, i32(v) == t);
  dlogits[i] = (probs[i] - onehot) * g;
}
