// Embedding lookup and its deterministic scatter-add backward: table(V,C), ids(N) i32.
//   forward:   out[n,c] = table[ids[n], c]                                      overwrites
//   backward:  dtable[v,c] += dout[n,c] for every n with ids[n] = v, in order of n
//                                                                               accumulates
// The backward uses no atomics: one workgroup owns one table row v, so nothing else writes
// dtable[v,·], and it adds the matching tokens in increasing n, like the CPU reference
// (bit-identical results run to run). It walks the ids in tiles of WG: each invocation tests
// one id, the matches are gathered with an integer atomic and sorted back into increasing n
// (a tile rarely holds more than a few), then all invocations add the matched rows of dout,
// striding over the channels. Ids outside [0,V) cannot be checked here (the CPU backend
// reports them): the forward writes zeros for them and the backward skips them.
//
// Bindings:
//   p  uniform Params {N, V, C}
//   forward:   out (N,C) written, ids (N) i32, table (V,C)
//   backward:  dtable (V,C) accumulated, ids (N) i32, dout (N,C)
// Grid, forward:  grid1d(N·C, WG): i = gid.x + gid.y · num_workgroups.x · WG.
// Grid, backward: grid1d(V, 1), workgroup (WG): one workgroup per table row,
//   v = wid.x + wid.y · num_workgroups.x.

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

// backward
@group(0) @binding(1) var<storage, read_write> dtable: array<f32>;
@group(0) @binding(3) var<storage, read_write> dout: array<f32>;

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

/** The tile's matching positions (sorted before use), and how many there are. */
var<workgroup> matches: array<u32, WG>;
var<workgroup> matchCounter: atomic<u32>;
var<workgroup> matchCount: u32;

@compute @workgroup_size(WG)
fn backward(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let v = wid.x + wid.y * groups.x;
  if (v >= p.V) {
    return;
  }
  for (var base = 0u; base < p.N; base += WG) {
    // Each invocation tests one id of the tile; matches are collected in any order...
    if (lid.x == 0u) {
      atomicStore(&matchCounter, 0u);
    }
    workgroupBarrier();
    let n = base + lid.x;
    if (n < p.N && ids[n] == i32(v)) {
      matches[atomicAdd(&matchCounter, 1u)] = lid.x;
    }
    workgroupBarrier();
    // ...then put in increasing n (insertion sort: a tile rarely holds more than a few).
    if (lid.x == 0u) {
      let count = atomicLoad(&matchCounter);
      for (var i = 1u; i < count; i++) {
        let m = matches[i];
        var j = i;
        while (j > 0u && matches[j - 1u] > m) {
          matches[j] = matches[j - 1u];
          j--;
        }
        matches[j] = m;
      }
      matchCount = count;
    }
    let count = workgroupUniformLoad(&matchCount);
    // Add the matched rows of dout, in order, each invocation striding over the channels.
    for (var k = 0u; k < count; k++) {
      let row = (base + matches[k]) * p.C;
      for (var c = lid.x; c < p.C; c += WG) {
        dtable[v * p.C + c] += dout[row + c];
      }
    }
    // Everyone is done with this tile's matches before the next tile overwrites them.
    workgroupBarrier();
  }
}
