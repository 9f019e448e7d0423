// Elementwise arithmetic over n contiguous f32 values; one invocation per element.
//   add:    out[i] = a[i] + b[i]
//   mul:    out[i] = a[i] · b[i]
//   scale:  out[i] = s · a[i]
// All overwrite out; out may alias a or b (same element, read before write).
//
// Bindings:
//   p    uniform Params {n, s}   (s used by scale only)
//   out  (n)  written
//   a    (n)
//   b    (n)  (add, mul)
// Grid: grid1d(n, WG): i = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  n: u32,
  s: f32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> a: array<f32>;
@group(0) @binding(3) var<storage, read_write> b: array<f32>;

fn index(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WG;
}

@compute @workgroup_size(WG)
fn add(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = index(gid, groups);
  if (i < p.n) {
    out[i] = a[i] + b[i];
  }
}

@compute @workgroup_size(WG)
fn mul(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = index(gid, groups);
  if (i < p.n) {
    out[i] = a[i] * b[i];
  }
}

@compute @workgroup_size(WG)
fn scale(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = index(gid, groups);
  if (i < p.n) {
    out[i] = p.s * a[i];
  }
}
