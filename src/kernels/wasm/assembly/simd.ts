// Small SIMD helpers over f32 rows in linear memory (byte addresses, element counts).

/** Σ a[i]·b[i] over n elements. */
export function dot(a: usize, b: usize, n: i32): f32 {
  let acc = f32x4.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    acc = f32x4.add(acc, f32x4.mul(v128.load(a + o), v128.load(b + o)));
  }
  let s =
    f32x4.extract_lane(acc, 0) +
    f32x4.extract_lane(acc, 1) +
    f32x4.extract_lane(acc, 2) +
    f32x4.extract_lane(acc, 3);
  for (; i < n; i++) s += load<f32>(a + ((<usize>i) << 2)) * load<f32>(b + ((<usize>i) << 2));
  return s;
}

/** y[i] += s·x[i] over n elements. */
export function axpy(y: usize, x: usize, s: f32, n: i32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(y + o, f32x4.add(v128.load(y + o), f32x4.mul(sv, v128.load(x + o))));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(y + o, load<f32>(y + o) + s * load<f32>(x + o));
  }
}

/** max of n ≥ 1 elements. */
export function rowMax(x: usize, n: i32): f32 {
  let m: f32 = -Infinity;
  let i = 0;
  if (n >= 4) {
    let mv = v128.load(x);
    for (i = 4; i + 4 <= n; i += 4) mv = f32x4.max(mv, v128.load(x + ((<usize>i) << 2)));
    m = max(
      max(f32x4.extract_lane(mv, 0), f32x4.extract_lane(mv, 1)),
      max(f32x4.extract_lane(mv, 2), f32x4.extract_lane(mv, 3)),
    );
  }
  for (; i < n; i++) m = max(m, load<f32>(x + ((<usize>i) << 2)));
  return m;
}

/** x[i] *= s over n elements. */
export function scaleRow(x: usize, s: f32, n: i32): void {
  const sv = f32x4.splat(s);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(x + o, f32x4.mul(sv, v128.load(x + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(x + o, s * load<f32>(x + o));
  }
}

/** out[i] = exp(x[i] − shift) over n elements; returns their sum (f64, as the reference). */
export function expShifted(out: usize, x: usize, shift: f32, n: i32): f64 {
  const sv = f32x4.splat(shift);
  let acc = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    const e = expf4(f32x4.sub(v128.load(x + o), sv));
    v128.store(out + o, e);
    acc = addWide(acc, e);
  }
  let sum = wideSum(acc);
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const e = Mathf.exp(load<f32>(x + o) - shift);
    store<f32>(out + o, e);
    sum += e;
  }
  return sum;
}

/**
 * e^x in four lanes (Cephes expf: x = n·ln2 + r, a degree-6 polynomial in r, times 2^n);
 * relative error about 2e-7 on [−87, 88], clamped outside.
 */
export function expf4(x: v128): v128 {
  x = f32x4.min(f32x4.max(x, f32x4.splat(-87.3)), f32x4.splat(88.7));
  const n = f32x4.nearest(f32x4.mul(x, f32x4.splat(1.44269504)));
  let r = f32x4.sub(x, f32x4.mul(n, f32x4.splat(0.693359375)));
  r = f32x4.sub(r, f32x4.mul(n, f32x4.splat(-2.1219444e-4)));
  let p = f32x4.splat(1.98756915e-4);
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.3981999507e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(8.3334519073e-3));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(4.1665795894e-2));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(1.6666665459e-1));
  p = f32x4.add(f32x4.mul(p, r), f32x4.splat(5.0000001201e-1));
  p = f32x4.add(f32x4.add(f32x4.mul(f32x4.mul(p, r), r), r), f32x4.splat(1));
  const scale = i32x4.shl(i32x4.add(i32x4.trunc_sat_f32x4_s(n), i32x4.splat(127)), 23);
  return f32x4.mul(p, scale);
}

/** tanh in four lanes as 1 − 2/(1 + e^{2u}) (absolute error about 1e-7). */
export function tanhf4(u: v128): v128 {
  const e = expf4(f32x4.add(u, u));
  const one = f32x4.splat(1);
  return f32x4.sub(one, f32x4.div(f32x4.splat(2), f32x4.add(one, e)));
}

/** Byte shuffle that moves lanes 2,3 of an f32x4 to lanes 0,1. */
const HIGH_HALF = v128(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);

/** acc (f64x2) plus the four f32 lanes of v, widened: sums kept in f64 as the reference. */
export function addWide(acc: v128, v: v128): v128 {
  acc = f64x2.add(acc, f64x2.promote_low_f32x4(v));
  return f64x2.add(acc, f64x2.promote_low_f32x4(v128.swizzle(v, HIGH_HALF)));
}

/** The two lanes of an f64x2 added. */
export function wideSum(acc: v128): f64 {
  return f64x2.extract_lane(acc, 0) + f64x2.extract_lane(acc, 1);
}
