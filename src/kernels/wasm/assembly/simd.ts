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
  let sum: f64 = 0;
  for (let i = 0; i < n; i++) {
    const o = (<usize>i) << 2;
    const e = Mathf.exp(load<f32>(x + o) - shift);
    store<f32>(out + o, e);
    sum += e;
  }
  return sum;
}
