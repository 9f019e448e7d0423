// Row softmax and log-softmax over x(R,C), forward and backward. Needs the row-reduce.wgsl
// prelude. Every row is shifted by its max first, so large logits cannot overflow exp.
//   softmax:             out[r,c] = exp(x[r,c] − m) / Σ_c' exp(x[r,c'] − m),  m = max_c x[r,c]
//   logSoftmax:          out[r,c] = x[r,c] − m − log Σ_c' exp(x[r,c'] − m)
//   softmaxBackward:     dx[r,c] = y[r,c] · (dy[r,c] − Σ_c' dy[r,c']·y[r,c'])      (y = softmax)
//   logSoftmaxBackward:  dx[r,c] = dy[r,c] − exp(y[r,c]) · Σ_c' dy[r,c']          (y = logSoftmax)
// All four overwrite; out may alias x and dx may alias dy (the runtime then binds a copy of
// the input; each element is read before it is written anyway).
//
// Bindings:
//   p  uniform Params {R, C}
//   forward:   out (R,C) written, x (R,C)
//   backward:  dx (R,C) written, y (R,C), dy (R,C)
// Grid: grid1d(R, 1), workgroup (WG): one workgroup per row (the prelude's rowIndex), its
//   invocations striding over the columns, so rows of any length work.

struct Params {
  R: u32,
  C: u32,
}

/** The lowest finite f32: the start of a running max (WGSL has no infinities). */
const LOWEST: f32 = -3.4028234e38;

@group(0) @binding(0) var<uniform> p: Params;

// forward
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> x: array<f32>;

// backward
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<storage, read_write> y: array<f32>;
@group(0) @binding(3) var<storage, read_write> dy: array<f32>;

struct RowStats {
  max: f32,
  /** Σ exp(x − max) */
  sum: f32,
}

// Max and shifted exp-sum of row r, returned to every invocation of the workgroup.
fn rowStats(o: u32, lid: u32) -> RowStats {
  var m = LOWEST;
  for (var c = lid; c < p.C; c += WG) {
    m = max(m, x[o + c]);
  }
  let rowMaxValue = rowMax(m, lid);
  var s = 0.0;
  for (var c = lid; c < p.C; c += WG) {
    s += exp(x[o + c] - rowMaxValue);
  }
  return RowStats(rowMaxValue, rowSum(s, lid));
}

@compute @workgroup_size(WG)
fn softmax(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let r = rowIndex(wid, groups);
  if (r >= p.R) {
    return;
  }
  let o = r * p.C;
  let stats = rowStats(o, lid.x);
  for (var c = lid.x; c < p.C; c += WG) {
    out[o + c] = exp(x[o + c] - stats.max) / stats.sum;
  }
}

@compute @workgroup_size(WG)
fn logSoftmax(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let r = rowIndex(wid, groups);
  if (r >= p.R) {
    return;
  }
  let o = r * p.C;
  let stats = rowStats(o, lid.x);
  let shift = stats.max + log(stats.sum);
  for (var c = lid.x; c < p.C; c += WG) {
    out[o + c] = x[o + c] - shift;
  }
}

@compute @workgroup_size(WG)
fn softmaxBackward(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let r = rowIndex(wid, groups);
  if (r >= p.R) {
    return;
  }
  let o = r * p.C;
  var partial = 0.0;
  for (var c = lid.x; c < p.C; c += WG) {
    partial += dy[o + c] * y[o + c];
  }
  let dot = rowSum(partial, lid.x);
  for (var c = lid.x; c < p.C; c += WG) {
    dx[o + c] = y[o + c] * (dy[o + c] - dot);
  }
}

@compute @workgroup_size(WG)
fn logSoftmaxBackward(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let r = rowIndex(wid, groups);
  if (r >= p.R) {
    return;
  }
  let o = r * p.C;
  var partial = 0.0;
  for (var c = lid.x; c < p.C; c += WG) {
    partial += dy[o + c];
  }
  let total = rowSum(partial, lid.x);
  for (var c = lid.x; c < p.C; c += WG) {
    dx[o + c] = dy[o + c] - exp(y[o + c]) * total;
  }
}
