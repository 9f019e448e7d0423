// Layer norm over rows x(R,C), forward and backward. Needs the row-reduce.wgsl prelude.
//   forward:      mean[r] = Σ_c x[r,c] / C
//                 rstd[r] = 1 / √(Σ_c (x[r,c] − mean[r])² / C + eps)
//                 out[r,c] = (x[r,c] − mean[r]) · rstd[r] · w[c] + b[c]         overwrites
//   backwardDx:   n = (x − mean)·rstd, g = dout·w (per element of row r)
//                 dx[r,c] += (g − mean_c(g) − n · mean_c(g·n)) · rstd[r]        accumulates
//   backwardDwDb: dw[c] += Σ_r dout[r,c] · n[r,c],  db[c] += Σ_r dout[r,c]      accumulate
//
// Bindings:
//   p  uniform Params {R, C, eps}
//   forward:   out (R,C) written, mean (R) written, rstd (R) written, x (R,C), w (C), b (C)
//   backward*: dx (R,C), dw (C), db (C) accumulated (each entry point writes its own),
//              dout (R,C), x (R,C), w (C), mean (R), rstd (R)
// Grid, forward and backwardDx: grid1d(R, 1), workgroup (WG): one workgroup per row (the
//   prelude's rowIndex), its invocations striding over the columns.
// Grid, forwardPerRow and backwardDxPerRow (software adapters): grid1d(R, WG), one
//   invocation per row.
// Grid, backwardDwDb: (ceil(C / COLS), 1, 1), workgroup (COLS, LANES): each column is summed
//   by LANES invocations over interleaved rows, then combined in workgroup memory (no atomics:
//   one invocation writes each dw[c], db[c]).

struct Params {
  R: u32,
  C: u32,
  eps: f32,
}

override COLS: u32 = 32;
override LANES: u32 = 8;

@group(0) @binding(0) var<uniform> p: Params;

// forward
@group(0) @binding(1) var<storage, read_write> out: array<f32>;
@group(0) @binding(2) var<storage, read_write> fwdMean: array<f32>;
@group(0) @binding(3) var<storage, read_write> fwdRstd: array<f32>;
@group(0) @binding(4) var<storage, read_write> fwdX: array<f32>;
@group(0) @binding(5) var<storage, read_write> fwdW: array<f32>;
@group(0) @binding(6) var<storage, read_write> fwdB: array<f32>;

// backward
@group(0) @binding(1) var<storage, read_write> dx: array<f32>;
@group(0) @binding(2) var<storage, read_write> dw: array<f32>;
@group(0) @binding(3) var<storage, read_write> db: array<f32>;
@group(0) @binding(4) var<storage, read_write> dout: array<f32>;
@group(0) @binding(5) var<storage, read_write> x: array<f32>;
@group(0) @binding(6) var<storage, read_write> w: array<f32>;
@group(0) @binding(7) var<storage, read_write> mean: array<f32>;
@group(0) @binding(8) var<storage, read_write> rstd: array<f32>;

@compute @workgroup_size(WG)
fn forward(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let r = rowIndex(wid, groups);
  if (r >= p.R) {
    return;
  }
  let o = r * p.C;
  let C = f32(p.C);
  // Two passes (mean, then squared deviations), as the CPU reference: no cancellation.
  var sum = 0.0;
  for (var c = lid.x; c < p.C; c += WG) {
    sum += fwdX[o + c];
  }
  let mu = rowSum(sum, lid.x) / C;
  var sq = 0.0;
  for (var c = lid.x; c < p.C; c += WG) {
    let d = fwdX[o + c] - mu;
    sq += d * d;
  }
  let s = 1.0 / sqrt(rowSum(sq, lid.x) / C + p.eps);
  for (var c = lid.x; c < p.C; c += WG) {
    out[o + c] = (fwdX[o + c] - mu) * s * fwdW[c] + fwdB[c];
  }
  if (lid.x == 0u) {
    fwdMean[r] = mu;
    fwdRstd[r] = s;
  }
}

@compute @workgroup_size(WG)
fn backwardDx(
  @builtin(workgroup_id) wid: vec3u,
  @builtin(local_invocation_id) lid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let r = rowIndex(wid, groups);
  if (r >= p.R) {
    return;
  }
  let o = r * p.C;
  let mu = mean[r];
  let s = rstd[r];
  var g = 0.0;
  var gn = 0.0;
  for (var c = lid.x; c < p.C; c += WG) {
    let gc = dout[o + c] * w[c];
    g += gc;
    gn += gc * (x[o + c] - mu) * s;
  }
  let gMean = rowSum(g, lid.x) / f32(p.C);
  let gnMean = rowSum(gn, lid.x) / f32(p.C);
  for (var c = lid.x; c < p.C; c += WG) {
    let n = (x[o + c] - mu) * s;
    dx[o + c] += (dout[o + c] * w[c] - gMean - n * gnMean) * s;
  }
}

// forward and backwardDx with one invocation per row (software adapters, see row-reduce.ts):
// the same sums, serial, with no workgroup memory and no barriers. Grid: grid1d(R, WG).
fn perRow(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WG;
}

@compute @workgroup_size(WG)
fn forwardPerRow(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let r = perRow(gid, groups);
  if (r >= p.R) {
    return;
  }
  let o = r * p.C;
  let C = f32(p.C);
  var sum = 0.0;
  for (var c = 0u; c < p.C; c++) {
    sum += fwdX[o + c];
  }
  let mu = sum / C;
  var sq = 0.0;
  for (var c = 0u; c < p.C; c++) {
    let d = fwdX[o + c] - mu;
    sq += d * d;
  }
  let s = 1.0 / sqrt(sq / C + p.eps);
  for (var c = 0u; c < p.C; c++) {
    out[o + c] = (fwdX[o + c] - mu) * s * fwdW[c] + fwdB[c];
  }
  fwdMean[r] = mu;
  fwdRstd[r] = s;
}

@compute @workgroup_size(WG)
fn backwardDxPerRow(
  @builtin(global_invocation_id) gid: vec3u,
  @builtin(num_workgroups) groups: vec3u,
) {
  let r = perRow(gid, groups);
  if (r >= p.R) {
    return;
  }
  let o = r * p.C;
  let mu = mean[r];
  let s = rstd[r];
  var g = 0.0;
  var gn = 0.0;
  for (var c = 0u; c < p.C; c++) {
    let gc = dout[o + c] * w[c];
    g += gc;
    gn += gc * (x[o + c] - mu) * s;
  }
  let gMean = g / f32(p.C);
  let gnMean = gn / f32(p.C);
  for (var c = 0u; c < p.C; c++) {
    let n = (x[o + c] - mu) * s;
    dx[o + c] += (dout[o + c] * w[c] - gMean - n * gnMean) * s;
  }
}

var<workgroup> dwPartial: array<f32, COLS * LANES>;
var<workgroup> dbPartial: array<f32, COLS * LANES>;

@compute @workgroup_size(COLS, LANES)
fn backwardDwDb(@builtin(workgroup_id) wid: vec3u, @builtin(local_invocation_id) lid: vec3u) {
  let c = wid.x * COLS + lid.x;
  var dwSum = 0.0;
  var dbSum = 0.0;
  if (c < p.C) {
    for (var r = lid.y; r < p.R; r += LANES) {
      let d = dout[r * p.C + c];
      dwSum += d * (x[r * p.C + c] - mean[r]) * rstd[r];
      dbSum += d;
    }
  }
  dwPartial[lid.y * COLS + lid.x] = dwSum;
  dbPartial[lid.y * COLS + lid.x] = dbSum;
  workgroupBarrier();
  if (lid.y == 0u && c < p.C) {
    var dwTotal = 0.0;
    var dbTotal = 0.0;
    for (var l = 0u; l < LANES; l++) {
      dwTotal += dwPartial[l * COLS + lid.x];
      dbTotal += dbPartial[l * COLS + lid.x];
    }
    dw[c] += dwTotal;
    db[c] += dbTotal;
  }
}
