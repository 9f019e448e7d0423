// Masked mean over the last dimension and its backward; x(B,T), mask(B,T), out(B):
//   forward:   out[b] = Σ_t x[b,t]·mask[b,t] / max(1, Σ_t mask[b,t])         overwrites
//   backward:  dx[b,t] += dout[b]·mask[b,t] / max(1, Σ_t mask[b,t])          accumulates
// An all-zero mask row divides by 1: forward gives 0, backward adds nothing.
// One workgroup per row: each invocation folds a strided share of the row, then the WG
// partial sums are combined by a tree in workgroup memory (rows may be longer than WG).
//
// Bindings:
//   p     uniform Params {B, T}
//   forward:   dst = out (B) written,     src = x (B,T),     mask (B,T)
//   backward:  dst = dx (B,T) accumulated, src = dout (B),   mask (B,T)
// Grid: grid1d(B, 1) — one workgroup per row, b = wid.x + wid.y · num_workgroups.x.
// WG must be a power of two.

struct Params {
  B: u32,
  T: u32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<storage, read_write> src: array<f32>;
@group(0) @binding(3) var<storage, read_write> mask: array<f32>;

var<workgroup> sums: array<f32, WG>;
var<workgroup> counts: array<f32, WG>;

/** Tree-combine sums[] and counts[] into element 0; every invocation must call it. */
fn combinePartials(lid: u32) {
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) {
      sums[lid] += sums[lid + half];
      counts[lid] += counts[lid + half];
    }
    workgroupBarrier();
  }
}

@compute @workgroup_size(WG)
fn forward(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let b = wid.x + wid.y * groups.x;
  if (b >= p.B) {
    return;
  }
  let base = b * p.T;
  var sum = 0.0;
  var count = 0.0;
  for (var t = lid; t < p.T; t += WG) {
    let m = mask[base + t];
    sum += src[base + t] * m;
    count += m;
  }
  sums[lid] = sum;
  counts[lid] = count;
  combinePartials(lid);
  if (lid == 0u) {
    dst[b] = sums[0] / max(1.0, counts[0]);
  }
}

@compute @workgroup_size(WG)
fn backward(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let b = wid.x + wid.y * groups.x;
  if (b >= p.B) {
    return;
  }
  let base = b * p.T;
  var count = 0.0;
  for (var t = lid; t < p.T; t += WG) {
    count += mask[base + t];
  }
  sums[lid] = 0.0;
  counts[lid] = count;
  combinePartials(lid);
  let g = src[b] / max(1.0, counts[0]);
  for (var t = lid; t < p.T; t += WG) {
    dst[base + t] += g * mask[base + t];
  }
}
