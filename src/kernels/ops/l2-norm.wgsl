// Global L2 norm in two dispatches of the same entry point (no float atomics):
//   pass 1 (FINAL = false):  partials[w] = Σ_{i in share of workgroup w} x[i]²    w < P
//   pass 2 (FINAL = true):   out[0]      = √(Σ_{w<P} partials[w])                  one workgroup
// Each invocation folds a grid-strided share (i = w·WG + lid + k·P·WG), then the workgroup
// combines its WG partial sums by a tree in workgroup memory. Overwrites dst.
//
// Bindings:
//   p    uniform Params {n}   (pass 1: n = size of x; pass 2: n = P)
//   dst  pass 1: partials (P) written;  pass 2: out (1) written
//   src  pass 1: x (n);                 pass 2: partials (P)
// Grid: pass 1 (P, 1, 1) with P ≤ MAX_PARTIALS; pass 2 (1, 1, 1). WG is a power of two.

struct Params {
  n: u32,
}

override WG: u32 = 256;
override FINAL: bool = false;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dst: array<f32>;
@group(0) @binding(2) var<storage, read_write> src: array<f32>;

var<workgroup> partial: array<f32, WG>;

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
  @builtin(local_invocation_index) lid: u32,
) {
  var acc = 0.0;
  for (var i = wid.x * WG + lid; i < p.n; i += groups.x * WG) {
    let v = src[i];
    acc += select(v * v, v, FINAL); // pass 2 sums squares already taken
  }
  partial[lid] = acc;
  workgroupBarrier();
  for (var half = WG / 2u; half > 0u; half /= 2u) {
    if (lid < half) {
      partial[lid] += partial[lid + half];
    }
    workgroupBarrier();
  }
  if (lid == 0u) {
    dst[wid.x] = select(partial[0], sqrt(partial[0]), FINAL);
  }
}
