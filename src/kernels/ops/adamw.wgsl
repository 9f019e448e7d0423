// AdamW (decoupled weight decay), in place over n elements:
//   m[i] = β1·m[i] + (1−β1)·g[i]
//   v[i] = β2·v[i] + (1−β2)·g[i]²
//   params[i] −= lr · ( (m[i]/c1) / (√(v[i]/c2) + eps) + wd·params[i] )
// with the bias corrections c1 = 1 − β1^step and c2 = 1 − β2^step computed on the host in
// f64 (they change every step, so they travel in this dispatch's own uniform slot).
// Overwrites params, m and v; reads grads.
//
// Bindings:
//   p       uniform Params {n, lr, beta1, beta2, eps, weightDecay, c1, c2}
//   params  (n) updated
//   m       (n) updated
//   v       (n) updated
//   grads   (n)
// Grid: grid1d(n, WG): i = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  n: u32,
  lr: f32,
  beta1: f32,
  beta2: f32,
  eps: f32,
  weightDecay: f32,
  c1: f32,
  c2: f32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> params: array<f32>;
@group(0) @binding(2) var<storage, read_write> m: array<f32>;
@group(0) @binding(3) var<storage, read_write> v: array<f32>;
@group(0) @binding(4) var<storage, read_write> grads: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = gid.x + gid.y * groups.x * WG;
  if (i >= p.n) {
    return;
  }
  let g = grads[i];
  let mi = p.beta1 * m[i] + (1.0 - p.beta1) * g;
  let vi = p.beta2 * v[i] + (1.0 - p.beta2) * g * g;
  m[i] = mi;
  v[i] = vi;
  let w = params[i];
  params[i] = w - p.lr * (mi / p.c1 / (sqrt(vi / p.c2) + p.eps) + p.weightDecay * w);
}
