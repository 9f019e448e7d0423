// AdamW, the gradient norm and clipping (src/kernels/cpu/optim.ts, reduce.ts). AdamW and the
// clip scale run in f64 lanes with exactly the reference's operations, so their results are
// bit-identical to it; the norm sums squares in f64 lanes (only the summation order differs).
import { wideSum } from './simd';

/** Byte shuffle that moves lanes 2,3 of an f32x4 to lanes 0,1. */
const HIGH_HALF = v128(8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7);

/** Two f32 at p, widened to an f64x2. */
function load2(p: usize): v128 {
  return f64x2.promote_low_f32x4(v128.load64_zero(p));
}

/** The f64x2 x rounded to two f32 at p. */
function store2(p: usize, x: v128): void {
  v128.store64_lane(p, f32x4.demote_f64x2_zero(x), 0);
}

/**
 * In place over n elements: m = β1·m + (1−β1)·g, v = β2·v + (1−β2)·g·g,
 * p −= lr·(m/c1/(√(v/c2) + eps) + wd·p), with c1 = 1−β1^step, c2 = 1−β2^step from JS.
 */
export function adamw(
  params: usize,
  grads: usize,
  m: usize,
  v: usize,
  n: i32,
  lr: f64,
  beta1: f64,
  beta2: f64,
  eps: f64,
  weightDecay: f64,
  c1: f64,
  c2: f64,
): void {
  const b1 = f64x2.splat(beta1);
  const b2 = f64x2.splat(beta2);
  const a1 = f64x2.splat(1 - beta1);
  const a2 = f64x2.splat(1 - beta2);
  const lrv = f64x2.splat(lr);
  const epsv = f64x2.splat(eps);
  const wd = f64x2.splat(weightDecay);
  const c1v = f64x2.splat(c1);
  const c2v = f64x2.splat(c2);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 2;
    const g = load2(grads + o);
    const mi = f64x2.add(f64x2.mul(b1, load2(m + o)), f64x2.mul(a1, g));
    const vi = f64x2.add(f64x2.mul(b2, load2(v + o)), f64x2.mul(f64x2.mul(a2, g), g));
    store2(m + o, mi);
    store2(v + o, vi);
    const p = load2(params + o);
    const step = f64x2.div(f64x2.div(mi, c1v), f64x2.add(f64x2.sqrt(f64x2.div(vi, c2v)), epsv));
    store2(params + o, f64x2.sub(p, f64x2.mul(lrv, f64x2.add(step, f64x2.mul(wd, p)))));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    const g = <f64>load<f32>(grads + o);
    const mi = beta1 * <f64>load<f32>(m + o) + (1 - beta1) * g;
    const vi = beta2 * <f64>load<f32>(v + o) + (1 - beta2) * g * g;
    store<f32>(m + o, <f32>mi);
    store<f32>(v + o, <f32>vi);
    const p = <f64>load<f32>(params + o);
    store<f32>(
      params + o,
      <f32>(p - lr * (mi / c1 / (Math.sqrt(vi / c2) + eps) + weightDecay * p)),
    );
  }
}

/** grads *= factor over n elements, the product rounded once from f64 as the reference. */
export function scaleGrads(grads: usize, factor: f64, n: i32): void {
  const f = f64x2.splat(factor);
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = (<usize>i) << 2;
    store2(grads + o, f64x2.mul(load2(grads + o), f));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(grads + o, <f32>(<f64>load<f32>(grads + o) * factor));
  }
}

/** out(1) = √(Σ x²) over n elements; squares and sums in f64 (exact squares of f32). */
export function l2Norm(out: usize, x: usize, n: i32): void {
  let lo = f64x2.splat(0);
  let hi = f64x2.splat(0);
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const v = v128.load(x + ((<usize>i) << 2));
    const a = f64x2.promote_low_f32x4(v);
    const b = f64x2.promote_low_f32x4(v128.swizzle(v, HIGH_HALF));
    lo = f64x2.add(lo, f64x2.mul(a, a));
    hi = f64x2.add(hi, f64x2.mul(b, b));
  }
  let sq = wideSum(f64x2.add(lo, hi));
  for (; i < n; i++) {
    const a = <f64>load<f32>(x + ((<usize>i) << 2));
    sq += a * a;
  }
  store<f32>(out, <f32>Math.sqrt(sq));
}
