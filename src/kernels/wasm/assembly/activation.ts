// Activations (src/kernels/cpu/elementwise.ts): 0 = gelu (GPT-2's tanh form), 1 = relu,
// 2 = tanh. Forward overwrites (out may be x); backward accumulates dx += f'(x)·dout.

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

export function activationForward(kind: i32, out: usize, x: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, forward(kind, load<f32>(x + o)));
  }
}

export function activationBackward(kind: i32, dx: usize, x: usize, dout: usize, n: i32): void {
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(
      dx + o,
      load<f32>(dx + o) + derivative(kind, load<f32>(x + o)) * load<f32>(dout + o),
    );
  }
}
