// out[i] = 0 for n 32-bit words (0.0 as f32, 0 as i32: the same bits). Overwrites.
// Used by zero() and to clear a reused pool buffer when a new tensor takes it.
//
// Bindings:
//   p    uniform Params {n}
//   out  (n) written
// Grid: grid1d(n, WG): i = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  n: u32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i < p.n) {
    out[i] = 0u;
  }
}
