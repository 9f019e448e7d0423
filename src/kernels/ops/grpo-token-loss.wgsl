// The per-token GRPO loss and its gradient with respect to the token log-probs (entry
// `loss`), and its logging companion (entry `stats`), elementwise over N tokens:
//   ratio   = exp(logp − logpOld)
//   pg      = −min(ratio·A, clip(ratio, 1−ε, 1+ε)·A)
//   kl      = exp(logpRef − logp) − (logpRef − logp) − 1                  (k3 estimate)
//   loss    = mask·(pg + β·kl)/normaliser                                  overwrites
//   dlogp   = mask·(−ratio·A·[not clipped] + β·(1 − exp(logpRef − logp)))/normaliser
//                                                                          overwrites
//   clipped = A > 0 and ratio > 1+ε, or A < 0 and ratio < 1−ε: the min picks the constant
//             clipped term, which passes no gradient (at the boundary the gradient flows).
//   stats:  kl_out = mask·kl, clipped_out = mask·[clipped]                 overwrites
// mask = 0 gives exactly 0 in every output, whatever the masked log-probs hold. The model
// turns dlogp into dlogits with crossEntropyBackward and dlosses = −dlogp (CE = −logp).
//
// Bindings:
//   p  uniform Params {N, clipEps, beta, invNormaliser}
//   loss:   loss (N) written, dlogp (N) written, logp, logpOld, logpRef, adv, mask (N)
//   stats:  kl (N) written, clipped (N) written, logp, logpOld, logpRef, adv, mask (N)
// Grid: grid1d(N, WG): n = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  N: u32,
  clipEps: f32,
  beta: f32,
  invNormaliser: f32,
}

override WG: u32 = 256;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> out0: array<f32>;
@group(0) @binding(2) var<storage, read_write> out1: array<f32>;
@group(0) @binding(3) var<storage, read_write> logp: array<f32>;
@group(0) @binding(4) var<storage, read_write> logpOld: array<f32>;
@group(0) @binding(5) var<storage, read_write> logpRef: array<f32>;
@group(0) @binding(6) var<storage, read_write> adv: array<f32>;
@group(0) @binding(7) var<storage, read_write> mask: array<f32>;

fn isClipped(ratio: f32, a: f32) -> bool {
  return (a > 0.0 && ratio > 1.0 + p.clipEps) || (a < 0.0 && ratio < 1.0 - p.clipEps);
}

fn tokenOf(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WG;
}

@compute @workgroup_size(WG)
fn loss(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let n = tokenOf(gid, groups);
  if (n >= p.N) {
    return;
  }
  let live = mask[n] != 0.0;
  let a = adv[n];
  let ratio = exp(logp[n] - logpOld[n]);
  let clippedRatio = clamp(ratio, 1.0 - p.clipEps, 1.0 + p.clipEps);
  let pg = -min(ratio * a, clippedRatio * a);
  let diff = logpRef[n] - logp[n];
  let refRatio = exp(diff);
  let kl = refRatio - diff - 1.0;
  let dpg = select(-ratio * a, 0.0, isClipped(ratio, a));
  let w = mask[n] * p.invNormaliser;
  out0[n] = select(0.0, w * (pg + p.beta * kl), live);
  out1[n] = select(0.0, w * (dpg + p.beta * (1.0 - refRatio)), live);
}

@compute @workgroup_size(WG)
fn stats(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let n = tokenOf(gid, groups);
  if (n >= p.N) {
    return;
  }
  let live = mask[n] != 0.0;
  let diff = logpRef[n] - logp[n];
  let ratio = exp(logp[n] - logpOld[n]);
  out0[n] = select(0.0, mask[n] * (exp(diff) - diff - 1.0), live);
  out1[n] = select(0.0, mask[n], live && isClipped(ratio, adv[n]));
}
