// Backward of attention.wgsl (llm.c's attention_backward), deterministic and without atomics:
// every dqkv element has exactly one writer, so it takes two dispatches.
//   queries (one invocation per query row (b,h,t)):
//     datt[t2]  = dout_t · v_t2                      (0 where att = 0, i.e. masked)
//     dpre[t2]  = att[t2] · (datt[t2] − Σ_t2' att[t2']·datt[t2']) / √HS
//     dq_t     += Σ_t2 dpre[t2] · k_t2
//     datt row  ← dpre (datt is the op's scratch: it ends up holding ∂loss/∂pre, scaled)
//   keys (one invocation per key row (b,h,t2), after `queries`):
//     dk_t2    += Σ_t dpre[t,t2] · q_t
//     dv_t2    += Σ_t att[t,t2] · dout_t
// dqkv accumulates; masked entries have att = dpre = 0 and so add nothing.
//
// Bindings:
//   p     uniform Params {B, T, NH, HS}
//   dqkv  (B,T,3C) accumulated (q part by `queries`, k and v parts by `keys`)
//   datt  (B,NH,T,T) scratch, overwritten by `queries`
//   dout  (B,T,C)
//   qkv   (B,T,3C)
//   att   (B,NH,T,T) probabilities saved by the forward
// Grid, both: grid1d(B·NH·T, WG): row index ((b·NH + h)·T + t), t the query or key position.

struct Params {
  B: u32,
  T: u32,
  NH: u32,
  HS: u32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> dqkv: array<f32>;
@group(0) @binding(2) var<storage, read_write> datt: array<f32>;
@group(0) @binding(3) var<storage, read_write> dout: array<f32>;
@group(0) @binding(4) var<storage, read_write> qkv: array<f32>;
@group(0) @binding(5) var<storage, read_write> att: array<f32>;

/** Position t, head h and sequence b of a row index ((b·NH + h)·T + t). */
struct Row {
  t: u32,
  h: u32,
  b: u32,
}

fn splitRow(row: u32) -> Row {
  return Row(row % p.T, (row / p.T) % p.NH, row / (p.T * p.NH));
}

fn rowOf(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WG;
}

@compute @workgroup_size(WG)
fn queries(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let row = rowOf(gid, groups);
  if (row >= p.B * p.NH * p.T) {
    return;
  }
  let r = splitRow(row);
  let T = p.T;
  let C = p.NH * p.HS;
  let C3 = 3u * C;
  let scale = 1.0 / sqrt(f32(p.HS));
  let a = row * T;
  let o = (r.b * T + r.t) * C + r.h * p.HS;

  // datt = dout · v over the visible keys, and its att-weighted mean.
  var mix = 0.0;
  for (var t2 = 0u; t2 < T; t2++) {
    let prob = att[a + t2];
    var dot = 0.0;
    if (prob != 0.0) {
      let v = (r.b * T + t2) * C3 + 2u * C + r.h * p.HS;
      for (var i = 0u; i < p.HS; i++) {
        dot += dout[o + i] * qkv[v + i];
      }
    }
    datt[a + t2] = dot;
    mix += prob * dot;
  }
  // Through the softmax: datt becomes dpre (scaled).
  for (var t2 = 0u; t2 < T; t2++) {
    datt[a + t2] = att[a + t2] * (datt[a + t2] - mix) * scale;
  }
  // dq = Σ dpre · k
  let q = (r.b * T + r.t) * C3 + r.h * p.HS;
  for (var i = 0u; i < p.HS; i++) {
    var acc = 0.0;
    for (var t2 = 0u; t2 < T; t2++) {
      let dpre = datt[a + t2];
      if (dpre != 0.0) {
        acc += dpre * qkv[(r.b * T + t2) * C3 + C + r.h * p.HS + i];
      }
    }
    dqkv[q + i] += acc;
  }
}

@compute @workgroup_size(WG)
fn keys(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let row = rowOf(gid, groups);
  if (row >= p.B * p.NH * p.T) {
    return;
  }
  let r = splitRow(row);
  let T = p.T;
  let C = p.NH * p.HS;
  let C3 = 3u * C;
  let t2 = r.t;
  // Column t2 of this head's att and dpre matrices: entry (t, t2) at headBase + t·T + t2.
  let headBase = (r.b * p.NH + r.h) * T * T;
  let k = (r.b * T + t2) * C3 + C + r.h * p.HS;
  for (var i = 0u; i < p.HS; i++) {
    var dk = 0.0;
    var dv = 0.0;
    for (var t = 0u; t < T; t++) {
      let e = headBase + t * T + t2;
      let prob = att[e];
      if (prob != 0.0) {
        dk += datt[e] * qkv[(r.b * T + t) * C3 + r.h * p.HS + i];
        dv += prob * dout[(r.b * T + t) * C + r.h * p.HS + i];
      }
    }
    dqkv[k + i] += dk;
    dqkv[k + C + i] += dv;
  }
}

// ---- vec4 entry points, for HS % 4 = 0 and HS ≤ 4·HS4_MAX (same math, same bindings) ----
// Each invocation keeps its HS-vectors (dout_t and dq in `queries4`; dk and dv in `keys4`) in
// private arrays, so a key row is read once per (row, key) instead of once per channel, and
// reads q|k|v and dout as vec4. Offsets are multiples of 4 because C and HS are.

const HS4_MAX: u32 = 16;

@group(0) @binding(1) var<storage, read_write> dqkv4: array<vec4f>;
@group(0) @binding(3) var<storage, read_write> dout4: array<vec4f>;
@group(0) @binding(4) var<storage, read_write> qkv4: array<vec4f>;

@compute @workgroup_size(WG)
fn queries4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let row = rowOf(gid, groups);
  if (row >= p.B * p.NH * p.T) {
    return;
  }
  let r = splitRow(row);
  let T = p.T;
  let H4 = p.HS / 4u;
  let C4 = p.NH * H4;
  let scale = 1.0 / sqrt(f32(p.HS));
  let a = row * T;
  let o = (r.b * T + r.t) * C4 + r.h * H4;
  var d: array<vec4f, HS4_MAX>;
  for (var j = 0u; j < H4; j++) {
    d[j] = dout4[o + j];
  }
  // datt = dout · v over the visible keys, and its att-weighted mean.
  var mix = 0.0;
  for (var t2 = 0u; t2 < T; t2++) {
    let prob = att[a + t2];
    var acc = 0.0;
    if (prob != 0.0) {
      let v = (r.b * T + t2) * 3u * C4 + 2u * C4 + r.h * H4;
      for (var j = 0u; j < H4; j++) {
        acc += dot(d[j], qkv4[v + j]);
      }
    }
    datt[a + t2] = acc;
    mix += prob * acc;
  }
  // Through the softmax (datt becomes dpre, scaled), and dq = Σ dpre · k in one pass.
  var dq: array<vec4f, HS4_MAX>;
  for (var t2 = 0u; t2 < T; t2++) {
    let dpre = att[a + t2] * (datt[a + t2] - mix) * scale;
    datt[a + t2] = dpre;
    if (dpre != 0.0) {
      let k = (r.b * T + t2) * 3u * C4 + C4 + r.h * H4;
      for (var j = 0u; j < H4; j++) {
        dq[j] += dpre * qkv4[k + j];
      }
    }
  }
  let q = (r.b * T + r.t) * 3u * C4 + r.h * H4;
  for (var j = 0u; j < H4; j++) {
    dqkv4[q + j] += dq[j];
  }
}

@compute @workgroup_size(WG)
fn keys4(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let row = rowOf(gid, groups);
  if (row >= p.B * p.NH * p.T) {
    return;
  }
  let r = splitRow(row);
  let T = p.T;
  let H4 = p.HS / 4u;
  let C4 = p.NH * H4;
  let t2 = r.t;
  let headBase = (r.b * p.NH + r.h) * T * T;
  var dk: array<vec4f, HS4_MAX>;
  var dv: array<vec4f, HS4_MAX>;
  for (var t = 0u; t < T; t++) {
    let e = headBase + t * T + t2;
    let prob = att[e];
    if (prob != 0.0) {
      let dpre = datt[e];
      let q = (r.b * T + t) * 3u * C4 + r.h * H4;
      let o = (r.b * T + t) * C4 + r.h * H4;
      for (var j = 0u; j < H4; j++) {
        dk[j] += dpre * qkv4[q + j];
        dv[j] += prob * dout4[o + j];
      }
    }
  }
  let k = (r.b * T + t2) * 3u * C4 + C4 + r.h * H4;
  for (var j = 0u; j < H4; j++) {
    dqkv4[k + j] += dk[j];
    dqkv4[k + C4 + j] += dv[j];
  }
}
