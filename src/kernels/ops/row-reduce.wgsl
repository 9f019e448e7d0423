// Workgroup-wide reductions for the row kernels (layer norm, softmax, cross-entropy): one
// workgroup owns one row and its WG invocations stride over the row's columns, so a row of
// any length works. This prelude is prepended to those kernels' sources by their wrappers
// (see row-reduce.ts); it declares the workgroup size WG, which must be a power of two.
//
//   rowSum(v, lid) = Σ v over the workgroup      rowMax(v, lid) = max v over the workgroup
//
// Both are tree reductions in workgroup memory (deterministic: the same inputs always add in
// the same order), must be called in uniform control flow by every invocation, and return
// the result to every invocation.

override WG: u32 = 256;

var<workgroup> scratch: array<f32, WG>;

fn rowSum(v: f32, lid: u32) -> f32 {
  scratch[lid] = v;
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (lid < stride) {
      scratch[lid] += scratch[lid + stride];
    }
  }
  return broadcast();
}

fn rowMax(v: f32, lid: u32) -> f32 {
  scratch[lid] = v;
  for (var stride = WG / 2u; stride > 0u; stride /= 2u) {
    workgroupBarrier();
    if (lid < stride) {
      scratch[lid] = max(scratch[lid], scratch[lid + stride]);
    }
  }
  return broadcast();
}

// scratch[0] to every invocation; the second barrier keeps the next reduction from
// overwriting scratch before everyone has read it.
fn broadcast() -> f32 {
  workgroupBarrier();
  let total = scratch[0];
  workgroupBarrier();
  return total;
}

// The row a workgroup owns, from a grid folded by grid1d(R, 1) when R exceeds 65535.
fn rowIndex(wid: vec3u, groups: vec3u) -> u32 {
  return wid.x + wid.y * groups.x;
}
