// Discounted returns over a forecast horizon: rewards(B,H) → out(B),
//   out[b] = Σ_{t<H} γ^t · rewards[b,t]
// with γ^t built by repeated multiplication (γ = 0 gives rewards[b,0], γ = 1 the plain sum).
// Overwrites out.
//
// Bindings:
//   p        uniform Params {B, H, gamma}
//   out      (B) written
//   rewards  (B,H)
// Grid: grid1d(B, WG): one invocation per row, b = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  B: u32,
  H: u32,
  gamma: f32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> rewards: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let b = gid.x + gid.y * groups.x * WG;
  if (b >= p.B) {
    return;
  }
  var sum = 0.0;
  var discount = 1.0;
  for (var t = 0u; t < p.H; t++) {
    sum += discount * rewards[b * p.H + t];
    discount *= p.gamma;
  }
  out[b] = sum;
}
