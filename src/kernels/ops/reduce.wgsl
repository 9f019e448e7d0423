// Row reductions over the last dimension: x(R,C) → out(R); KIND picks the reduction at
// pipeline creation (0 = sum, 1 = mean, 2 = max).
//   sum:   out[r] = Σ_c x[r,c]
//   mean:  out[r] = Σ_c x[r,c] / C
//   max:   out[r] = max_c x[r,c]
// Overwrites out. One workgroup per row: each invocation folds a strided share of the row
// (so rows may be longer than a workgroup), then the WG partials are combined by a tree in
// workgroup memory — pairwise, so rounding error grows with log C, not C.
//
// Bindings:
//   p    uniform Params {R, C}
//   out  (R)    written
//   x    (R,C)
// Grid: grid1d(R, 1) — one workgroup per row, row = wid.x + wid.y · num_workgroups.x.
// WG must be a power of two (the tree halves it).

struct Params {
  R: u32,
  C: u32,
}

override WG: u32 = 256;
override KIND: u32 = 0;

const MEAN: u32 = 1u;
const MAX: u32 = 2u;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> x: array<f32>;

var<workgroup> partial: array<f32, WG>;

fn combine(a: f32, b: f32) -> f32 {
  if (KIND == MAX) {
    return max(a, b);
  }
  return a + b;
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  let row = wid.x + wid.y * groups.x;
  if (row >= p.R) {
    return;
  }
  let base = row * p.C;
  // The max starts from an element of the row, not −∞ (which WGSL cannot spell as a
  // constant) and not 0 (wrong for all-negative rows); invocations past C keep it.
  var acc = select(0.0, x[base], KIND == MAX);
  for (var c = lid; c < p.C; c += WG) {
    acc = combine(acc, x[base + c]);
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) {
      partial[lid] = combine(partial[lid], partial[lid + half]);
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    out[row] = select(partial[0], partial[0] / f32(p.C), KIND == MEAN);
  }
}
