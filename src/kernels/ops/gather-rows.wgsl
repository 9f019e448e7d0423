// Pick one entry per row: logp(N,V), ids(N) i32; a negative id means "no entry".
//   forward:   out[n] = logp[n, ids[n]], or 0 when ids[n] < 0                   overwrites
//   backward:  dlogp[n, ids[n]] += dout[n], nothing when ids[n] < 0             accumulates
// Each row's entry is touched by one invocation only, so the backward needs no atomics.
// An id ≥ V cannot be checked here (the CPU backend reports it): it is treated as negative.
//
// Bindings:
//   p  uniform Params {N, V}
//   forward:   out (N) written, ids (N) i32, logp (N,V)
//   backward:  dlogp (N,V) accumulated, ids (N) i32, dout (N)
// Grid: grid1d(N, WG): n = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  N: u32,
  V: u32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(2) var<storage, read_write> ids: array<i32>;

// forward
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<storage, read_write> logp: array<f32>;

// backward
@group(0) @binding(1) var<storage, read_write> dlogp: array<f32>;
@group(0) @binding(3) var<storage, read_write> dout: array<f32>;

fn validId(id: i32) -> bool {
  return id >= 0 && u32(id) < p.V;
}

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let n = gid.x + gid.y * groups.x * WG;
  if (n >= p.N) {
    return;
  }
  let id = ids[n];
  var value = 0.0;
  if (validId(id)) {
    value = logp[n * p.V + u32(id)];
  }
  out[n] = value;
}

@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let n = gid.x + gid.y * groups.x * WG;
  if (n >= p.N) {
    return;
  }
  let id = ids[n];
  if (validId(id)) {
    dlogp[n * p.V + u32(id)] += dout[n];
  }
}
