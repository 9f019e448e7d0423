// Bias add and its backward over rows: x(R,C), bias(C).
//   add:       out[r,c] = x[r,c] + bias[c]        overwrites; out may alias x
//   backward:  dbias[c] += Σ_r dout[r,c]          accumulates
//
// Bindings:
//   p     uniform Params {R, C}
//   add:       out (R,C) written, x (R,C), bias (C)
//   backward:  dbias (C) accumulated, dout (R,C)
// Grid, add:      grid1d(R·C, WG): i = gid.x + gid.y · num_workgroups.x · WG.
// Grid, backward: (ceil(C / COLS), 1, 1), workgroup (COLS, LANES). Each column is summed by
//   LANES invocations over interleaved rows (neighbours read neighbouring columns), then the
//   LANES partial sums are combined in workgroup memory.

struct Params {
  R: u32,
  C: u32,
}

override WG: u32 = 256;
override COLS: u32 = 32;
override LANES: u32 = 8;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>; // dbias in backward
@group(0) @binding(2) var<storage, read_write> x: array<f32>; // dout in backward
@group(0) @binding(3) var<storage, read_write> bias: array<f32>;

@compute @workgroup_size(WG)
fn add(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i < p.R * p.C) {
    out[i] = x[i] + bias[i % p.C];
  }
}

var<workgroup> partial: array<f32, COLS * LANES>;

@compute @workgroup_size(COLS, LANES)
fn backward(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let c = wid.x * COLS + lid.x;
  var sum = 0.0;
  if (c < p.C) {
    for (var r = lid.y; r < p.R; r += LANES) {
      sum += x[r * p.C + c];
    }
  }
  partial[lid.y * COLS + lid.x] = sum;
  workgroupBarrier();
  if (lid.y == 0u && c < p.C) {
    var total = 0.0;
    for (var l = 0u; l < LANES; l++) {
      total += partial[l * COLS + lid.x];
    }
    out[c] += total;
  }
}
