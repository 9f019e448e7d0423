// Pointwise activations, forward and backward; KIND picks the function at pipeline creation
// (0 = gelu, tanh approximation as in GPT-2; 1 = relu; 2 = tanh).
//   forward:   out[i] = f(x[i])                       overwrites; out may alias x
//   backward:  dx[i] += f'(x[i]) · dout[i]            accumulates
// gelu(x) = ½x(1 + tanh(√(2/π)(x + 0.044715x³)))
//
// Bindings:
//   p     uniform Params {n}
//   forward:  out (n) written, x (n)
//   backward: dx (n) accumulated, x (n), dout (n)
// Grid: grid1d(n, WG): i = gid.x + gid.y · num_workgroups.x · WG.

struct Params {
  n: u32,
}

override WG: u32 = 256;
override KIND: u32 = 0;

const GELU_SCALE: f32 = 0.7978845608028654; // √(2/π)
const GELU_CUBE: f32 = 0.044715;

@group(0) @binding(0) var<uniform> p: Params;
@group(0) @binding(1) var<storage, read_write> y: array<f32>; // out, or dx in backward
@group(0) @binding(2) var<storage, read_write> x: array<f32>;
@group(0) @binding(3) var<storage, read_write> dout: array<f32>;

// tanh clamped: some drivers compute it from exp() and return NaN for large arguments;
// tanh(±10) is already ±1 in f32.
fn safeTanh(v: f32) -> f32 {
  return tanh(clamp(v, -10.0, 10.0));
}

fn f(v: f32) -> f32 {
  switch KIND {
    case 0u: {
      return 0.5 * v * (1.0 + safeTanh(GELU_SCALE * (v + GELU_CUBE * v * v * v)));
    }
    case 1u: {
      return max(v, 0.0);
    }
    default: {
      return safeTanh(v);
    }
  }
}

fn df(v: f32) -> f32 {
  switch KIND {
    case 0u: {
      let t = safeTanh(GELU_SCALE * (v + GELU_CUBE * v * v * v));
      let sech2 = 1.0 - t * t;
      return 0.5 * (1.0 + t) + 0.5 * v * sech2 * GELU_SCALE * (1.0 + 3.0 * GELU_CUBE * v * v);
    }
    case 1u: {
      return select(0.0, 1.0, v > 0.0);
    }
    default: {
      let t = safeTanh(v);
      return 1.0 - t * t;
    }
  }
}

fn index(gid: vec3u, groups: vec3u) -> u32 {
  return gid.x + gid.y * groups.x * WG;
}

@compute @workgroup_size(WG)
fn forward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = index(gid, groups);
  if (i < p.n) {
    y[i] = f(x[i]);
  }
}

@compute @workgroup_size(WG)
fn backward(@builtin(global_invocation_id) gid: vec3u, @builtin(num_workgroups) groups: vec3u) {
  let i = index(gid, groups);
  if (i < p.n) {
    y[i] += df(x[i]) * dout[i];
  }
}
