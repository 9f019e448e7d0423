// Token sampling with temperature and top-p: one workgroup per row of logits(B,V), the
// caller's uniform u = uniforms[b] in [0,1) decides the draw. Same definition as the CPU
// reference (src/kernels/cpu/sample.ts):
//   w[v]     = exp((logits[v] − m)/temperature),   m = max_v logits[v]
//   nucleus  = the smallest set, by w descending then id ascending, with Σ w ≥ topP·Σ_all w
//   ids[b]   = the first nucleus token, in id order, whose running nucleus mass exceeds
//              u·Σ_nucleus w (the last nucleus token if rounding leaves none)     overwrites
//   greedy (temperature 0): ids[b] = argmax logits, lowest id on ties
//   logp[b]  = logits[id] − m − log Σ_v exp(logits[v] − m): log softmax at temperature 1,
//              untruncated — the policy's own log-prob, as the training forward computes it
//                                                                                  overwrites
// No sort: the nucleus threshold θ (its smallest weight) is the largest float with
// mass(θ) = Σ_{w ≥ θ} w ≥ topP·Σw, found digit by digit (4 bits a pass, 8 passes) on the
// bits of w (non-negative floats order like their u32 bits): a pass histograms the mass of
// the row by the next digit and keeps the largest digit whose mass still suffices. Tokens
// with w > θ are kept; tokens with w = θ are kept in id order while the mass before them is
// still short of topP·Σw.
// Invocation lid owns the contiguous ids [lid·chunk, (lid+1)·chunk), chunk = ⌈V/WG⌉, so
// id-order prefix sums are serial sums of per-invocation partials. Reductions are one
// barrier and a serial read of the WG partials (WG ≤ 64): barriers, not adds, are what a
// software adapter pays for.
//
// Bindings:
//   p         uniform Params {B, V, greedy (0/1), temperature, topP}
//   ids       (B) i32 written
//   logp      (B) written
//   logits    (B,V)
//   uniforms  (B) in [0,1)
// Grid: grid1d(B, 1), workgroup (WG): one workgroup per row, b = wid.x + wid.y · groups.x.

struct Params {
  B: u32,
  V: u32,
  greedy: u32,
  temperature: f32,
  topP: f32,
}

/** The lowest finite f32: the start of a running max (WGSL has no infinities). */
const LOWEST: f32 = -3.4028234e38;
const DIGIT_BITS: u32 = 4u;
const DIGITS: u32 = 16u;

override WG: u32 = 64;

/** Per-invocation partials of the current reduction. */
var<workgroup> partial: array<vec4f, WG>;
/** Per-invocation mass histograms of a radix pass, then their per-digit totals. */
var<workgroup> histogram: array<array<f32, DIGITS>, WG>;
var<workgroup> digitMass: array<f32, DIGITS>;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> ids: array<i32>;
@group(0) @binding(2) var<storage, read_write> logp: array<f32>;
@group(0) @binding(3) var<storage, read_write> logits: array<f32>;
@group(0) @binding(4) var<storage, read_write> uniforms: array<f32>;

// Σ v over the workgroup, in lid order (so every invocation gets the same bits).
// Call in uniform control flow.
fn total(v: vec4f, lid: u32) -> vec4f {
  partial[lid] = v;
  workgroupBarrier();
  var s = vec4f(0.0);
  for (var j = 0u; j < WG; j++) {
    s += partial[j];
  }
  workgroupBarrier();
  return s;
}

fn maxAll(v: f32, lid: u32) -> f32 {
  partial[lid] = vec4f(v);
  workgroupBarrier();
  var m = LOWEST;
  for (var j = 0u; j < WG; j++) {
    m = max(m, partial[j].x);
  }
  workgroupBarrier();
  return m;
}

fn weight(o: u32, v: u32, m: f32) -> f32 {
  return exp((logits[o + v] - m) / p.temperature);
}

// Whether a token of weight w is in the nucleus; counts the ties at θ it has passed.
fn isKept(w: f32, theta: f32, above: f32, needed: f32, rank: ptr<function, u32>) -> bool {
  if (w > theta) {
    return true;
  }
  if (w < theta) {
    return false;
  }
  let kept = above + f32(*rank) * theta < needed;
  *rank += 1u;
  return kept;
}

@compute @workgroup_size(WG)
fn main(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lidv: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let b = wid.x + wid.y * groups.x;
  if (b >= p.B) {
    return;
  }
  let lid = lidv.x;
  let o = b * p.V;
  let chunk = (p.V + WG - 1u) / WG;
  let first = min(lid * chunk, p.V);
  let end = min(first + chunk, p.V);

  var localMax = LOWEST;
  for (var v = first; v < end; v++) {
    localMax = max(localMax, logits[o + v]);
  }
  let m = maxAll(localMax, lid);

  if (p.greedy != 0u) {
    // Lowest id holding the max: −max(−id) over each invocation's first hit (ids < 2^24).
    var hit = f32(p.V);
    var s1 = 0.0;
    for (var v = first; v < end; v++) {
      s1 += exp(logits[o + v] - m);
      if (logits[o + v] == m && hit == f32(p.V)) {
        hit = f32(v);
      }
    }
    let sums = total(vec4f(s1, 0.0, 0.0, 0.0), lid);
    let id = u32(-maxAll(-hit, lid));
    if (lid == 0u) {
      ids[b] = i32(id);
      logp[b] = logits[o + id] - m - log(sums.x);
    }
    return;
  }

  // Σ exp(l − m) for the log-prob and Σ w for the nucleus, in one reduction.
  var s1 = 0.0;
  var sw = 0.0;
  for (var v = first; v < end; v++) {
    s1 += exp(logits[o + v] - m);
    sw += weight(o, v, m);
  }
  let sums = total(vec4f(s1, sw, 0.0, 0.0), lid);
  let logNorm = m + log(sums.x);
  let needed = p.topP * sums.y;

  // The nucleus threshold θ, the mass strictly above it, and the ties at θ before this
  // chunk; θ = −1 keeps every token.
  var theta = -1.0;
  var above = 0.0;
  var tieRank = 0u;
  if (p.topP < 1.0) {
    var prefix = 0u;
    for (var round = 0u; round < 32u / DIGIT_BITS; round++) {
      let shift = 32u - DIGIT_BITS * (round + 1u);
      // Level of a token: the largest digit d with bits(w) ≥ prefix | d << shift, or none.
      var hist = array<f32, DIGITS>(); // explicit: SwiftShader kept the last round's values
      let high = ~((DIGITS << shift) - 1u); // the bits above the current digit
      for (var v = first; v < end; v++) {
        let w = weight(o, v, m);
        let bits = bitcast<u32>(w);
        if ((bits & high) > prefix) {
          hist[DIGITS - 1u] += w;
        } else if ((bits & high) == prefix) {
          hist[(bits >> shift) & (DIGITS - 1u)] += w;
        }
      }
      histogram[lid] = hist;
      workgroupBarrier();
      if (lid < DIGITS) {
        var s = 0.0;
        for (var j = 0u; j < WG; j++) {
          s += histogram[j][lid];
        }
        digitMass[lid] = s;
      }
      workgroupBarrier();
      // mass(prefix | d << shift) = Σ_{level ≥ d}; keep the largest d that reaches `needed`.
      var mass = 0.0;
      var digit = 0u;
      for (var d = DIGITS - 1u; d > 0u; d--) {
        mass += digitMass[d];
        if (mass >= needed) {
          digit = d;
          break;
        }
      }
      prefix = prefix | (digit << shift);
      workgroupBarrier();
    }
    theta = bitcast<f32>(prefix);
    var part = 0.0;
    var ties = 0u;
    for (var v = first; v < end; v++) {
      let w = weight(o, v, m);
      part += select(0.0, w, w > theta);
      ties += select(0u, 1u, w == theta);
    }
    partial[lid] = vec4f(part, f32(ties), 0.0, 0.0);
    workgroupBarrier();
    for (var j = 0u; j < WG; j++) {
      above += partial[j].x;
      tieRank += select(0u, u32(partial[j].y), j < lid);
    }
    workgroupBarrier();
  }

  // Kept mass per chunk, then serial prefixes (the same order everywhere, so consistent).
  var mass = 0.0;
  var rank = tieRank;
  for (var v = first; v < end; v++) {
    let w = weight(o, v, m);
    if (isKept(w, theta, above, needed, &rank)) {
      mass += w;
    }
  }
  partial[lid] = vec4f(mass, 0.0, 0.0, 0.0);
  workgroupBarrier();
  var before = 0.0;
  var nucleusMass = 0.0;
  var after = 0.0;
  for (var j = 0u; j < WG; j++) {
    let c = partial[j].x;
    before += select(0.0, c, j < lid);
    after += select(0.0, c, j > lid);
    nucleusMass += c;
  }
  let goal = uniforms[b] * nucleusMass;
  let owns = mass > 0.0 && before <= goal && (goal < before + mass || after == 0.0);
  if (!owns) {
    return;
  }
  var running = before;
  var id = first;
  rank = tieRank;
  for (var v = first; v < end; v++) {
    let w = weight(o, v, m);
    if (isKept(w, theta, above, needed, &rank)) {
      running += w;
      id = v;
      if (running > goal) {
        break;
      }
    }
  }
  ids[b] = i32(id);
  logp[b] = logits[o + id] - logNorm;
}
