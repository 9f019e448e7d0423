// GRPO group advantages: rewards(N) in N/G groups of G consecutive samples,
//   adv[i] = (r[i] − mean_g) / (std_g + eps),   std_g the population standard deviation.
// The group is shifted by its first reward before summing (d = r − r0), so a group of equal
// rewards gives d = 0 exactly and advantages of exactly 0 whatever the reward value (an
// unshifted f32 mean of five 0.03s is off by an ulp, and ulp / (0 + eps) is not 0).
// Overwrites adv; adv may alias rewards (each group is read fully before it is written).
//
// Bindings:
//   p        uniform Params {groups, G, eps}
//   adv      (N) written
//   rewards  (N)
// Grid: grid1d(N/G, WG): one invocation per group, g = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  groups: u32,
  G: u32,
  eps: f32,
}

override WG: u32 = 64;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> adv: array<f32>;
@group(0) @binding(2) var<storage, read_write> rewards: array<f32>;

@compute @workgroup_size(WG)
fn main(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let g = gid.x + gid.y * groups.x * WG;
  if (g >= p.groups) {
    return;
  }
  let base = g * p.G;
  let r0 = rewards[base];
  var sum = 0.0;
  for (var i = 0u; i < p.G; i++) {
    sum += rewards[base + i] - r0;
  }
  let meanShift = sum / f32(p.G);
  var sq = 0.0;
  for (var i = 0u; i < p.G; i++) {
    let d = rewards[base + i] - r0 - meanShift;
    sq += d * d;
  }
  let denom = sqrt(sq / f32(p.G)) + p.eps;
  for (var i = 0u; i < p.G; i++) {
    adv[base + i] = (rewards[base + i] - r0 - meanShift) / denom;
  }
}
