// dst[b, pos, i] = src[b, i]: one row per sequence into position `pos` of dst(B,T,W), as raw
// 32-bit words (f32 or i32). Used to append a decoded token's q|k|v to the KV cache, which is
// the full-sequence qkv(B,T,3C) buffer itself. pos is a uniform, so every decode step of a
// rollout records into one submit. Overwrites row pos only; other rows are untouched.
//
// Bindings:
//   p    uniform Params {B, T, W, pos}
//   dst  (B,T,W) row pos written
//   src  (B,W)
// Grid: grid1d(B·W, WG): i = gid.x + gid.y · num_workgroups.x · WG, b = i / W.

struct Params {
  B: u32,
  T: u32,
  W: u32,
  pos: u32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dst: array<u32>;
@group(0) @binding(2) var<storage, read_write> src: array<u32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i >= p.B * p.W) {
    return;
  }
  let b = i / p.W;
  dst[(b * p.T + p.pos) * p.W + i % p.W] = src[i];
}
