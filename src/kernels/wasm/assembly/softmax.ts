// Row softmax and log-softmax (src/kernels/cpu/norm.ts): max-subtracted, exponentials in
// four lanes (expf4), the row's sum in f64 as the reference. out may alias x.
import { addWide, expf4, expShifted, rowMax, wideSum } from './simd';

/** Σ exp(x[i] − shift) over n elements (f64, as the reference). */
function expSum(x: usize, shift: f32, n: i32): f64 {
  const sv = f32x4.splat(shift);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4)
    acc = addWide(acc, expf4(f32x4.sub(v128.load(x + ((<usize>i) << 2)), sv)));
  let sum = wideSum(acc);
  for (; i < n; i++) sum += Mathf.exp(load<f32>(x + ((<usize>i) << 2)) - shift);
  return sum;
}

/** out(R,C) = softmax(x) per row. */
export function softmaxForward(out: usize, x: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    const o = (<usize>(r * C)) << 2;
    const sum = expShifted(out + o, x + o, rowMax(x + o, C), C);
    const sv = f32x4.splat(<f32>(1 / sum));
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const a = out + o + ((<usize>c) << 2);
      v128.store(a, f32x4.mul(v128.load(a), sv));
    }
    for (; c < C; c++) {
      const a = out + o + ((<usize>c) << 2);
      store<f32>(a, load<f32>(a) * <f32>(1 / sum));
    }
  }
}

/** out(R,C) = x − max − log Σ exp(x − max) per row. */
export function logSoftmaxForward(out: usize, x: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    const o = (<usize>(r * C)) << 2;
    const mx = rowMax(x + o, C);
    const shift = <f32>(<f64>mx + Math.log(expSum(x + o, mx, C)));
    const sv = f32x4.splat(shift);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const a = (<usize>c) << 2;
      v128.store(out + o + a, f32x4.sub(v128.load(x + o + a), sv));
    }
    for (; c < C; c++) {
      const a = (<usize>c) << 2;
      store<f32>(out + o + a, load<f32>(x + o + a) - shift);
    }
  }
}

/** dx(R,C) = y ⊙ (dy − Σ dy⊙y) per row, from y = softmax(x); the dot in f64. Overwrites. */
export function softmaxBackward(dx: usize, y: usize, dy: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    const o = (<usize>(r * C)) << 2;
    let dot: f64 = 0;
    for (let c = 0; c < C; c++) {
      const a = o + ((<usize>c) << 2);
      dot += <f64>load<f32>(dy + a) * <f64>load<f32>(y + a);
    }
    for (let c = 0; c < C; c++) {
      const a = o + ((<usize>c) << 2);
      store<f32>(dx + a, <f32>(<f64>load<f32>(y + a) * (<f64>load<f32>(dy + a) - dot)));
    }
  }
}

/** dx(R,C) = dy − exp(y)·Σ dy per row, from y = logSoftmax(x); in f64. Overwrites. */
export function logSoftmaxBackward(dx: usize, y: usize, dy: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    const o = (<usize>(r * C)) << 2;
    let sum: f64 = 0;
    for (let c = 0; c < C; c++) sum += <f64>load<f32>(dy + o + ((<usize>c) << 2));
    for (let c = 0; c < C; c++) {
      const a = o + ((<usize>c) << 2);
      store<f32>(dx + a, <f32>(<f64>load<f32>(dy + a) - Math.exp(<f64>load<f32>(y + a)) * sum));
    }
  }
}
