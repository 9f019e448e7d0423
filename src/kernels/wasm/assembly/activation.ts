// Activations (src/kernels/cpu/elementwise.ts): 0 = gelu (GPT-2's tanh form; four lanes at a
// time with tanh from a SIMD exp), 1 = relu, 2 = tanh. Forward overwrites (out may be x);
// backward accumulates dx += f'(x)·dout.
import { tanhf4 } from './simd';

const GELU_SCALE: f32 = 0.7978845608028654; // √(2/π)
const GELU_CUBE: f32 = 0.044715;

function forward(kind: i32, x: f32): f32 {
  if (kind == 0) return 0.5 * x * (1 + Mathf.tanh(GELU_SCALE * (x + GELU_CUBE * x * x * x)));
  if (kind == 1) return x > 0 ? x : 0;
  return Mathf.tanh(x);
}

function derivative(kind: i32, x: f32): f32 {
  if (kind == 0) {
    const th = Mathf.tanh(GELU_SCALE * (x + GELU_CUBE * x * x * x));
    const sech2: f32 = 1 - th * th;
    return 0.5 * (1 + th) + 0.5 * x * sech2 * GELU_SCALE * (1 + 3 * GELU_CUBE * x * x);
  }
  if (kind == 1) return x > 0 ? 1 : 0;
  const t = Mathf.tanh(x);
  const d: f32 = 1 - t * t;
  return d;
}

/** gelu of four lanes (tanh from expf4). */
function gelu4(x: v128): v128 {
  const u = f32x4.mul(
    f32x4.splat(GELU_SCALE),
    f32x4.add(x, f32x4.mul(f32x4.splat(GELU_CUBE), f32x4.mul(x, f32x4.mul(x, x)))),
  );
  const half = f32x4.splat(0.5);
  return f32x4.mul(f32x4.mul(half, x), f32x4.add(f32x4.splat(1), tanhf4(u)));
}

/** gelu′ of four lanes. */
function geluGrad4(x: v128): v128 {
  const x2 = f32x4.mul(x, x);
  const u = f32x4.mul(
    f32x4.splat(GELU_SCALE),
    f32x4.add(x, f32x4.mul(f32x4.splat(GELU_CUBE), f32x4.mul(x, x2))),
  );
  const th = tanhf4(u);
  const one = f32x4.splat(1);
  const half = f32x4.splat(0.5);
  const sech2 = f32x4.sub(one, f32x4.mul(th, th));
  const inner = f32x4.add(one, f32x4.mul(f32x4.splat(3 * GELU_CUBE), x2));
  const right = f32x4.mul(
    f32x4.mul(f32x4.mul(half, x), sech2),
    f32x4.mul(f32x4.splat(GELU_SCALE), inner),
  );
  return f32x4.add(f32x4.mul(half, f32x4.add(one, th)), right);
}

export function activationForward(kind: i32, out: usize, x: usize, n: i32): void {
  let i = 0;
  if (kind == 0) {
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      v128.store(out + o, gelu4(v128.load(x + o)));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, forward(kind, load<f32>(x + o)));
  }
}

export function activationBackward(kind: i32, dx: usize, x: usize, dout: usize, n: i32): void {
  let i = 0;
  if (kind == 0) {
    for (; i + 4 <= n; i += 4) {
      const o = (<usize>i) << 2;
      const g = f32x4.mul(geluGrad4(v128.load(x + o)), v128.load(dout + o));
      v128.store(dx + o, f32x4.add(v128.load(dx + o), g));
    }
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(
      dx + o,
      load<f32>(dx + o) + derivative(kind, load<f32>(x + o)) * load<f32>(dout + o),
    );
  }
}
