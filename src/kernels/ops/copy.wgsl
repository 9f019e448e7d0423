// out[i] = a[i] for n 32-bit words (f32 or i32: copied as raw bits). Overwrites.
// A kernel rather than copyBufferToBuffer: views of one pool share a buffer, and a buffer
// cannot be both source and destination of a copy; a dispatch also stays in the step's pass.
//
// Bindings:
//   p    uniform Params {n}
//   out  (n) written
//   a    (n)
// Grid: grid1d(n, WG): i = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  n: u32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<u32>;
@group(0) @binding(2) var<storage, read_write> a: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i < p.n) {
    out[i] = a[i];
  }
}
