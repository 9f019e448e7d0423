// Row-wise and elementwise ops (src/kernels/cpu/linear.ts, norm.ts, elementwise.ts): bias,
// add, layer norm forward and backward. Rows of C floats, SIMD across the row.

/** out(R,C) = x(R,C) + bias(C). out may be x. */
export function biasAdd(out: usize, x: usize, bias: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    const o = (<usize>(r * C)) << 2;
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const a = (<usize>c) << 2;
      v128.store(out + o + a, f32x4.add(v128.load(x + o + a), v128.load(bias + a)));
    }
    for (; c < C; c++) {
      const a = (<usize>c) << 2;
      store<f32>(out + o + a, load<f32>(x + o + a) + load<f32>(bias + a));
    }
  }
}

/** dbias(C) += Σ_r dout(r,C). */
export function biasBackward(dbias: usize, dout: usize, R: i32, C: i32): void {
  for (let r = 0; r < R; r++) {
    const o = (<usize>(r * C)) << 2;
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const a = (<usize>c) << 2;
      v128.store(dbias + a, f32x4.add(v128.load(dbias + a), v128.load(dout + o + a)));
    }
    for (; c < C; c++) {
      const a = (<usize>c) << 2;
      store<f32>(dbias + a, load<f32>(dbias + a) + load<f32>(dout + o + a));
    }
  }
}

/** out = a + b over n elements. */
export function add(out: usize, a: usize, b: usize, n: i32): void {
  let i = 0;
  for (; i + 4 <= n; i += 4) {
    const o = (<usize>i) << 2;
    v128.store(out + o, f32x4.add(v128.load(a + o), v128.load(b + o)));
  }
  for (; i < n; i++) {
    const o = (<usize>i) << 2;
    store<f32>(out + o, load<f32>(a + o) + load<f32>(b + o));
  }
}

function hsum(v: v128): f32 {
  return (
    f32x4.extract_lane(v, 0) +
    f32x4.extract_lane(v, 1) +
    f32x4.extract_lane(v, 2) +
    f32x4.extract_lane(v, 3)
  );
}

/** out(R,C) = (x − mean)·rstd·w + b per row; writes mean(R) and rstd(R) = 1/√(var + eps). */
export function layerNormForward(
  out: usize,
  mean: usize,
  rstd: usize,
  x: usize,
  w: usize,
  b: usize,
  R: i32,
  C: i32,
  eps: f32,
): void {
  for (let r = 0; r < R; r++) {
    const o = (<usize>(r * C)) << 2;
    let sv = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= C; c += 4) sv = f32x4.add(sv, v128.load(x + o + ((<usize>c) << 2)));
    let sum = hsum(sv);
    for (; c < C; c++) sum += load<f32>(x + o + ((<usize>c) << 2));
    const mu: f32 = sum / <f32>C;
    const muv = f32x4.splat(mu);
    let qv = f32x4.splat(0);
    c = 0;
    for (; c + 4 <= C; c += 4) {
      const dv = f32x4.sub(v128.load(x + o + ((<usize>c) << 2)), muv);
      qv = f32x4.add(qv, f32x4.mul(dv, dv));
    }
    let sq = hsum(qv);
    for (; c < C; c++) {
      const dx = load<f32>(x + o + ((<usize>c) << 2)) - mu;
      sq += dx * dx;
    }
    const s: f32 = 1 / Mathf.sqrt(sq / <f32>C + eps);
    const sv2 = f32x4.splat(s);
    c = 0;
    for (; c + 4 <= C; c += 4) {
      const a = (<usize>c) << 2;
      const n = f32x4.mul(f32x4.sub(v128.load(x + o + a), muv), sv2);
      v128.store(out + o + a, f32x4.add(f32x4.mul(n, v128.load(w + a)), v128.load(b + a)));
    }
    for (; c < C; c++) {
      const a = (<usize>c) << 2;
      store<f32>(
        out + o + a,
        (load<f32>(x + o + a) - mu) * s * load<f32>(w + a) + load<f32>(b + a),
      );
    }
    store<f32>(mean + ((<usize>r) << 2), mu);
    store<f32>(rstd + ((<usize>r) << 2), s);
  }
}

/** dx(R,C), dw(C), db(C) accumulate (formulas in src/kernels/cpu/norm.ts). */
export function layerNormBackward(
  dx: usize,
  dw: usize,
  db: usize,
  dout: usize,
  x: usize,
  w: usize,
  mean: usize,
  rstd: usize,
  R: i32,
  C: i32,
): void {
  for (let r = 0; r < R; r++) {
    const o = (<usize>(r * C)) << 2;
    const mu = load<f32>(mean + ((<usize>r) << 2));
    const s = load<f32>(rstd + ((<usize>r) << 2));
    const muv = f32x4.splat(mu);
    const sv = f32x4.splat(s);
    let gv = f32x4.splat(0);
    let gnv = f32x4.splat(0);
    let c = 0;
    for (; c + 4 <= C; c += 4) {
      const a = (<usize>c) << 2;
      const g = f32x4.mul(v128.load(dout + o + a), v128.load(w + a));
      const n = f32x4.mul(f32x4.sub(v128.load(x + o + a), muv), sv);
      gv = f32x4.add(gv, g);
      gnv = f32x4.add(gnv, f32x4.mul(g, n));
    }
    let gMean = hsum(gv);
    let gnMean = hsum(gnv);
    for (; c < C; c++) {
      const a = (<usize>c) << 2;
      const g = load<f32>(dout + o + a) * load<f32>(w + a);
      gMean += g;
      gnMean += g * (load<f32>(x + o + a) - mu) * s;
    }
    gMean /= <f32>C;
    gnMean /= <f32>C;
    const gmv = f32x4.splat(gMean);
    const gnmv = f32x4.splat(gnMean);
    c = 0;
    for (; c + 4 <= C; c += 4) {
      const a = (<usize>c) << 2;
      const d = v128.load(dout + o + a);
      const n = f32x4.mul(f32x4.sub(v128.load(x + o + a), muv), sv);
      v128.store(dw + a, f32x4.add(v128.load(dw + a), f32x4.mul(d, n)));
      v128.store(db + a, f32x4.add(v128.load(db + a), d));
      const t = f32x4.sub(f32x4.sub(f32x4.mul(d, v128.load(w + a)), gmv), f32x4.mul(n, gnmv));
      v128.store(dx + o + a, f32x4.add(v128.load(dx + o + a), f32x4.mul(t, sv)));
    }
    for (; c < C; c++) {
      const a = (<usize>c) << 2;
      const d = load<f32>(dout + o + a);
      const n = (load<f32>(x + o + a) - mu) * s;
      store<f32>(dw + a, load<f32>(dw + a) + d * n);
      store<f32>(db + a, load<f32>(db + a) + d);
      store<f32>(
        dx + o + a,
        load<f32>(dx + o + a) + (d * load<f32>(w + a) - gMean - n * gnMean) * s,
      );
    }
  }
}
