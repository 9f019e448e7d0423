// Causal multi-head self-attention with a bidirectional prefix (llm.c's attention_forward
// plus the prefix mask). qkv(B,T,3C) packs q|k|v; head h uses channels h·HS … h·HS+HS−1 of
// each; C = NH·HS.
//   last(t)       = P−1 when t < P, else t        (P = clamp(prefixLen[b], 0, T); 0 if causal)
//   pre[t2]       = q_t · k_t2 / √HS              for t2 ≤ last(t)
//   att[b,h,t,t2] = softmax_t2(pre), exactly 0 for t2 > last(t)                    overwrites
//   out[b,t,h·HS+i] = Σ_t2 att[b,h,t,t2] · v_t2[i]                                 overwrites
// The att rows double as the scratch for the scores (each row has a single owner).
//
// Bindings:
//   p          uniform Params {B, T, NH, HS}
//   out        (B,T,C) written
//   att        (B,NH,T,T) written
//   qkv        (B,T,3C)
//   prefixLen  (B) i32, read by the `prefixed` entry point only (`causal` binds three)
// Grid: grid1d(B·NH·T, WG): one invocation per query row, index ((b·NH + h)·T + t), so
//   neighbouring invocations read the same keys.

struct Params {
  B: u32,
  T: u32,
  NH: u32,
  HS: u32,
}

/** The lowest finite f32: the start of a running max (WGSL has no infinities). */
const LOWEST: f32 = -3.4028234e38;

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> att: array<f32>;
@group(0) @binding(3) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(4) var<storage, read_write> prefixLen: array<i32>;

fn attendRow(row: u32, prefix: i32) {
  let T = p.T;
  let t = row % T;
  let h = (row / T) % p.NH;
  let b = row / (T * p.NH);
  let C = p.NH * p.HS;
  let C3 = 3u * C;
  let P = u32(clamp(prefix, 0, i32(T)));
  let last = select(t, P - 1u, t < P);
  let scale = 1.0 / sqrt(f32(p.HS));
  let q = (b * T + t) * C3 + h * p.HS;
  let a = row * T;

  // Scores and their max.
  var m = LOWEST;
  for (var t2 = 0u; t2 <= last; t2++) {
    let k = (b * T + t2) * C3 + C + h * p.HS;
    var dot = 0.0;
    for (var i = 0u; i < p.HS; i++) {
      dot += qkv[q + i] * qkv[k + i];
    }
    let pre = dot * scale;
    att[a + t2] = pre;
    m = max(m, pre);
  }
  // Probabilities; masked entries are exactly 0 so the backward can skip them.
  var sum = 0.0;
  for (var t2 = 0u; t2 <= last; t2++) {
    let e = exp(att[a + t2] - m);
    att[a + t2] = e;
    sum += e;
  }
  for (var t2 = 0u; t2 < T; t2++) {
    att[a + t2] = select(0.0, att[a + t2] / sum, t2 <= last);
  }
  // Weighted sum of the values.
  let o = (b * T + t) * C + h * p.HS;
  for (var i = 0u; i < p.HS; i++) {
    var acc = 0.0;
    for (var t2 = 0u; t2 <= last; t2++) {
      acc += att[a + t2] * qkv[(b * T + t2) * C3 + 2u * C + h * p.HS + i];
    }
    out[o + i] = acc;
  }
}

fn rowOf(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WG;
}

@compute @workgroup_size(WG)
fn causal(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let row = rowOf(gid, groups);
  if (row < p.B * p.NH * p.T) {
    attendRow(row, 0);
  }
}

@compute @workgroup_size(WG)
fn prefixed(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let row = rowOf(gid, groups);
  if (row < p.B * p.NH * p.T) {
    attendRow(row, prefixLen[row / (p.T * p.NH)]);
  }
}

// ---- vec4 entry points, for HS % 4 = 0 and HS ≤ 4·HS4_MAX (same math, same bindings) ----
// q_t and the output row live in private arrays: each key and value row is read once per
// query row (as vec4), not once per channel. Offsets are multiples of 4 because C and HS are.

const HS4_MAX: u32 = 16;

@group(0) @binding(1) var<storage, read_write> out4: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> qkv4: array<vec4f>;

fn attendRow4(row: u32, prefix: i32) {
  let T = p.T;
  let t = row % T;
  let h = (row / T) % p.NH;
  let b = row / (T * p.NH);
  let H4 = p.HS / 4u;
  let C4 = p.NH * H4;
  let P = u32(clamp(prefix, 0, i32(T)));
  let last = select(t, P - 1u, t < P);
  let scale = 1.0 / sqrt(f32(p.HS));
  let a = row * T;
  var q: array<vec4f, HS4_MAX>;
  let qAt = (b * T + t) * 3u * C4 + h * H4;
  for (var j = 0u; j < H4; j++) {
    q[j] = qkv4[qAt + j];
  }

  var m = LOWEST;
  for (var t2 = 0u; t2 <= last; t2++) {
    let k = (b * T + t2) * 3u * C4 + C4 + h * H4;
    var acc = 0.0;
    for (var j = 0u; j < H4; j++) {
      acc += dot(q[j], qkv4[k + j]);
    }
    let pre = acc * scale;
    att[a + t2] = pre;
    m = max(m, pre);
  }
  var sum = 0.0;
  for (var t2 = 0u; t2 <= last; t2++) {
    let e = exp(att[a + t2] - m);
    att[a + t2] = e;
    sum += e;
  }
  var y: array<vec4f, HS4_MAX>;
  for (var t2 = 0u; t2 < T; t2++) {
    let prob = select(0.0, att[a + t2] / sum, t2 <= last);
    att[a + t2] = prob;
    if (t2 <= last) {
      let v = (b * T + t2) * 3u * C4 + 2u * C4 + h * H4;
      for (var j = 0u; j < H4; j++) {
        y[j] += prob * qkv4[v + j];
      }
    }
  }
  let o = (b * T + t) * C4 + h * H4;
  for (var j = 0u; j < H4; j++) {
    out4[o + j] = y[j];
  }
}

@compute @workgroup_size(WG)
fn causal4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let row = rowOf(gid, groups);
  if (row < p.B * p.NH * p.T) {
    attendRow4(row, 0);
  }
}

@compute @workgroup_size(WG)
fn prefixed4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let row = rowOf(gid, groups);
  if (row < p.B * p.NH * p.T) {
    attendRow4(row, prefixLen[row / (p.T * p.NH)]);
  }
}
