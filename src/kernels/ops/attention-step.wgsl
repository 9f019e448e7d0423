// One decode step of causal multi-head self-attention with a bidirectional prefix: the output
// at position `pos` only, equal to row pos of attention.wgsl's out for the same qkv and mask.
// qkv(B,T,3C) is the KV cache (rows > last(pos) are never read); head h uses channels
// h·HS … h·HS+HS−1 of q, k and v; C = NH·HS. Needs the row-reduce.wgsl prelude.
//   last          = P−1 when pos < P, else pos     (P = clamp(prefixLen[b], 0, T); 0 if causal)
//   pre[t2]       = q_pos · k_t2 / √HS            for t2 ≤ last
//   prob[t2]      = softmax_t2(pre)
//   out[b, h·HS+i] = Σ_t2 prob[t2] · v_t2[i]                                     overwrites
// The scores live in workgroup memory (TMAX = T floats), so T is a pipeline constant and
// is bounded by the workgroup storage limit (the wrapper checks it).
//
// Bindings:
//   p          uniform Params {B, T, NH, HS, pos}
//   out        (B,C) written
//   qkv        (B,T,3C)
//   prefixLen  (B) i32, read by the `prefixed` entry point only (`causal` binds two)
// Grid: grid1d(B·NH, 1), workgroup (WG): one workgroup per (sequence, head), index b·NH + h
//   (the prelude's rowIndex); its invocations stride over keys, then over the HS channels.

struct Params {
  B: u32,
  T: u32,
  NH: u32,
  HS: u32,
  pos: u32,
}

/** The lowest finite f32: the start of a running max (WGSL has no infinities). */
const LOWEST: f32 = -3.4028234e38;

override TMAX: u32 = 1024;

var<workgroup> probs: array<f32, TMAX>;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(3) var<storage, read_write> prefixLen: array<i32>;

// Called in uniform control flow: the whole workgroup owns row (b, h).
fn attendStep(row: u32, prefix: i32, lid: u32) {
  let T = p.T;
  let h = row % p.NH;
  let b = row / p.NH;
  let C = p.NH * p.HS;
  let C3 = 3u * C;
  let P = u32(clamp(prefix, 0, i32(T)));
  let last = select(p.pos, P - 1u, p.pos < P);
  let scale = 1.0 / sqrt(f32(p.HS));
  let q = (b * T + p.pos) * C3 + h * p.HS;

  var m = LOWEST;
  for (var t2 = lid; t2 <= last; t2 += WG) {
    let k = (b * T + t2) * C3 + C + h * p.HS;
    var dot = 0.0;
    for (var i = 0u; i < p.HS; i++) {
      dot += qkv[q + i] * qkv[k + i];
    }
    let pre = dot * scale;
    probs[t2] = pre;
    m = max(m, pre);
  }
  let rowMaxValue = rowMax(m, lid);
  var s = 0.0;
  for (var t2 = lid; t2 <= last; t2 += WG) {
    let e = exp(probs[t2] - rowMaxValue);
    probs[t2] = e;
    s += e;
  }
  let total = rowSum(s, lid);
  for (var t2 = lid; t2 <= last; t2 += WG) {
    probs[t2] = probs[t2] / total;
  }
  workgroupBarrier();
  let o = b * C + h * p.HS;
  for (var i = lid; i < p.HS; i += WG) {
    var acc = 0.0;
    for (var t2 = 0u; t2 <= last; t2++) {
      acc += probs[t2] * qkv[(b * T + t2) * C3 + 2u * C + h * p.HS + i];
    }
    out[o + i] = acc;
  }
}

@compute @workgroup_size(WG)
fn causal(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let row = rowIndex(wid, groups);
  if (row < p.B * p.NH) {
    attendStep(row, 0, lid.x);
  }
}

@compute @workgroup_size(WG)
fn prefixed(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let row = rowIndex(wid, groups);
  if (row < p.B * p.NH) {
    attendStep(row, prefixLen[row / p.NH], lid.x);
  }
}
