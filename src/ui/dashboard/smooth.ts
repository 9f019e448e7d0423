// A smoothed copy of a noisy curve, drawn over the raw one: an exponential moving average
// with bias correction (the first points are not pulled towards zero), whose span follows the
// curve's length so a long run is as readable as a short one. NaN rows (no value at that
// update) stay NaN and do not reset the average.

/** Rows the average mostly spans: about a twentieth of the curve, between 1 and 200. */
export function smoothingSpan(n: number): number {
  return Math.max(1, Math.min(200, Math.round(n / 20)));
}

/** EMA of rows 0..n-1 with weight 1 - 1/span on the past; span 1 returns the values. */
export function smooth(values: ArrayLike<number>, n: number, span: number): Float64Array {
  const out = new Float64Array(n);
  const keep = 1 - 1 / Math.max(1, span);
  let avg = 0;
  let weight = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) {
      out[i] = NaN;
      continue;
    }
    avg = keep * avg + (1 - keep) * v;
    weight = keep * weight + (1 - keep);
    out[i] = avg / weight;
  }
  return out;
}
