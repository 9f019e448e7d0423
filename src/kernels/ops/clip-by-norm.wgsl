// Gradient clipping by a global norm that an earlier op (l2Norm) left in memory, so the
// step never reads it back:
//   grads[i] *= min(1, maxNorm / (norm[0] + 1e-6))
// Updates grads in place (a factor of 1 leaves them bit-identical).
//
// Bindings:
//   p      uniform Params {n, maxNorm}
//   grads  (n) updated
//   norm   (1)
// Grid: grid1d(n, WG): i = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  n: u32,
  maxNorm: f32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> grads: array<f32>;
@group(0) @binding(2) var<storage, read_write> norm: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i < p.n) {
    grads[i] *= min(1.0, p.maxNorm / (norm[0] + 1e-6));
  }
}
