// Embedding lookup and its deterministic scatter-add backward: table(V,C), ids(N) i32.
//   forward:   out[n,c] = table[ids[n], c]                                      overwrites
//   backward:  dtable[v,c] += dout[n,c] for every n with ids[n] = v, in order of n
//                                                                               accumulates
// The backward uses no atomics and no barriers (each costs a lot on SwiftShader), in two
// dispatches: `sortIds` (one invocation) sorts the positions by id into the scratch `sorted`,
// then `backward` gives each (v, c) its own invocation, which adds its bucket's rows of dout
// in increasing n, like the CPU reference (bit-identical results, run to run). Nothing else
// writes dtable[v,c]. Ids outside [0,V) cannot be checked here (the CPU backend reports them):
// the forward writes zeros for them and the backward skips them.
//
// Bindings:
//   p  uniform Params {N, V, C}
//   forward:   out (N,C) written, ids (N) i32, table (V,C)
//   sortIds, backward (one layout): dtable (V,C) accumulated by backward, ids (N) i32,
//              dout (N,C), sorted (V+N) i32 scratch written by sortIds
// Grid, forward and backward: grid1d(N·C or V·C, WG): i = gid.x + gid.y · num_workgroups.x · WG.
// Grid, sortIds: (1, 1, 1).

struct Params {
  N: u32,
  V: u32,
  C: u32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(2) var<storage, read_write> ids: array<i32>;

// forward
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(3) var<storage, read_write> table: array<f32>;

// sortIds and backward
@group(0) @binding(1) var<storage, read_write> dtable: array<f32>;
@group(0) @binding(3) var<storage, read_write> dout: array<f32>;
@group(0) @binding(4) var<storage, read_write> sorted: array<i32>;

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i >= p.N * p.C) {
    return;
  }
  let n = i / p.C;
  let c = i % p.C;
  let id = ids[n];
  var value = 0.0;
  if (id >= 0 && u32(id) < p.V) {
    value = table[u32(id) * p.C + c];
  }
  out[i] = value;
}

// Pass 1 of the backward, one invocation: a stable counting sort of the positions by id.
//   sorted[0..V)      ends: bucket v holds order[ends[v−1] .. ends[v]) (ends[−1] = 0)
//   sorted[V..V+N)    order: the positions n with a valid id, by id, then by n
@compute @workgroup_size(1)
fn sortIds() {
  let V = p.V;
  for (var v = 0u; v < V; v++) {
    sorted[v] = 0;
  }
  for (var n = 0u; n < p.N; n++) {
    let id = ids[n];
    if (id >= 0 && u32(id) < V) {
      sorted[id] += 1;
    }
  }
  // Counts → bucket starts; placing each position then advances its start to the bucket's end.
  var run = 0;
  for (var v = 0u; v < V; v++) {
    let count = sorted[v];
    sorted[v] = run;
    run += count;
  }
  for (var n = 0u; n < p.N; n++) {
    let id = ids[n];
    if (id >= 0 && u32(id) < V) {
      let k = sorted[id];
      sorted[V + u32(k)] = i32(n);
      sorted[id] = k + 1;
    }
  }
}

// Pass 2: one invocation per (v, c) adds its bucket's rows of dout in increasing n.
@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i >= p.V * p.C) {
    return;
  }
  let v = i / p.C;
  let c = i % p.C;
  var lo = 0u;
  if (v > 0u) {
    lo = u32(sorted[v - 1u]);
  }
  let hi = u32(sorted[v]);
  var acc = dtable[i];
  for (var k = lo; k < hi; k++) {
    acc += dout[u32(sorted[p.V + k]) * p.C + c];
  }
  dtable[i] = acc;
}
