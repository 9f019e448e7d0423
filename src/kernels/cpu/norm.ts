// Layer norm, softmax and log-softmax over rows, CPU reference.
import type { RowDims } from '../validate';
import type { In, Out } from './arrays';

/** out(R,C) = (x − mean)·rstd·w + b per row; writes mean(R) and rstd(R) = 1/√(var + eps). */
export function layerNormForward(
  out: Out,
  mean: Out,
  rstd: Out,
  x: In,
  w: In,
  b: In,
  d: RowDims,
  eps: number,
): void {
  const { R, C } = d;
  for (let r = 0; r < R; r++) {
    const o = r * C;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += x[o + c];
    const mu = sum / C;
    let sq = 0;
    for (let c = 0; c < C; c++) sq += (x[o + c] - mu) * (x[o + c] - mu);
    const s = 1 / Math.sqrt(sq / C + eps);
    for (let c = 0; c < C; c++) out[o + c] = (x[o + c] - mu) * s * w[c] + b[c];
    mean[r] = mu;
    rstd[r] = s;
  }
}

/**
 * dx(R,C), dw(C), db(C) all accumulate. With n = (x − mean)·rstd and g = dout·w:
 * dx = (g − mean(g) − n·mean(g·n))·rstd, dw = Σ_r dout·n, db = Σ_r dout.
 */
export function layerNormBackward(
  dx: Out,
  dw: Out,
  db: Out,
  dout: In,
  x: In,
  w: In,
  mean: In,
  rstd: In,
  d: RowDims,
): void {
  const { R, C } = d;
  for (let r = 0; r < R; r++) {
    const o = r * C;
    const mu = mean[r];
    const s = rstd[r];
    let gMean = 0;
    let gnMean = 0;
    for (let c = 0; c < C; c++) {
      const g = dout[o + c] * w[c];
      gMean += g;
      gnMean += g * (x[o + c] - mu) * s;
    }
    gMean /= C;
    gnMean /= C;
    for (let c = 0; c < C; c++) {
      const n = (x[o + c] - mu) * s;
      dw[c] += dout[o + c] * n;
      db[c] += dout[o + c];
      dx[o + c] += (dout[o + c] * w[c] - gMean - n * gnMean) * s;
    }
  }
}

/** Row softmax, max-subtracted. out may alias x. */
export function softmaxForward(out: Out, x: In, d: RowDims): void {
  const { R, C } = d;
  for (let r = 0; r < R; r++) {
    const o = r * C;
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, x[o + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(x[o + c] - max);
    for (let c = 0; c < C; c++) out[o + c] = Math.exp(x[o + c] - max) / sum;
  }
}

/** dx = y ⊙ (dy − Σ dy⊙y) per row. Overwrites. */
export function softmaxBackward(dx: Out, y: In, dy: In, d: RowDims): void {
  const { R, C } = d;
  for (let r = 0; r < R; r++) {
    const o = r * C;
    let dot = 0;
    for (let c = 0; c < C; c++) dot += dy[o + c] * y[o + c];
    for (let c = 0; c < C; c++) dx[o + c] = y[o + c] * (dy[o + c] - dot);
  }
}

/** out = x − max − log Σ exp(x − max) per row. out may alias x. */
export function logSoftmaxForward(out: Out, x: In, d: RowDims): void {
  const { R, C } = d;
  for (let r = 0; r < R; r++) {
    const o = r * C;
    let max = -Infinity;
    for (let c = 0; c < C; c++) max = Math.max(max, x[o + c]);
    let sum = 0;
    for (let c = 0; c < C; c++) sum += Math.exp(x[o + c] - max);
    const shift = max + Math.log(sum);
    for (let c = 0; c < C; c++) out[o + c] = x[o + c] - shift;
  }
}

/** dx = dy − exp(y)·Σ dy per row, from y = logSoftmax(x). Overwrites. */
export function logSoftmaxBackward(dx: Out, y: In, dy: In, d: RowDims): void {
  const { R, C } = d;
  for (let r = 0; r < R; r++) {
    const o = r * C;
    let sum = 0;
    for (let c = 0; c < C; c++) sum += dy[o + c];
    for (let c = 0; c < C; c++) dx[o + c] = dy[o + c] - Math.exp(y[o + c]) * sum;
  }
}
