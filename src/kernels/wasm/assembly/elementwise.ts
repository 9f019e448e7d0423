// Elementwise products, scaling and row reductions (src/kernels/cpu/elementwise.ts,
// reduce.ts). Sums accumulate in f64 lanes, as the reference does. out may alias an input.
import { addWide, rowMax, wideSum } from './simd';

/** out = a ⊙ b over n elements. */
export function mul(out: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, load<f32>(a + o) * load<f32>(b + o));
  }
}

/** out = s·a over n elements. */
export function scale(out: usize, a: usize, s: f32, n: i32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, f32x4.mul(sv, v128.load(a + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, s * load<f32>(a + o));
  }
}

function rowSum(x: usize, n: i32): f64 {
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) acc = addWide(acc, v128.load(x + ((<usize>i) << 2)));
  let sum = wideSum(acc);
  for (; i < n; i++) sum += <f64>load<f32>(x + ((<usize>i) << 2));
  return sum;
}

/** out(R) = sum (kind 0) | mean (1) | max (2) over each row of x(R,C). */
export function reduceRows(kind: i32, out: usize, x: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    const o = x + ((<usize>(r * C)) << 2);
    let v: f32;
    if (kind === 2) v = rowMax(o, C);
    else {
      const s = rowSum(o, C);
      v = <f32>(kind === 1 ? s / C : s);
    }
    store<f32>(out + ((<usize>r) << 2), v);
  }
}
