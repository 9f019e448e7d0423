// Min/max decimation for line charts: with more points than pixels, each bucket of rows
// becomes two points, its minimum and its maximum in the order they occurred, so spikes and
// the envelope survive while a 10,000-point curve draws as ~2 points per pixel column.
// The x axis is the run-wide update number (row + 1); all series share the bucket positions,
// so curves of two runs (padded with NaN) stay aligned. NaN becomes null: a gap in uPlot.

export interface LinePoints {
  x: number[];
  ys: (number | null)[][];
}

function finiteOrNull(v: number | undefined): number | null {
  return v !== undefined && Number.isFinite(v) ? v : null;
}

/**
 * Rows 0..n-1 of each series (a series shorter than n counts as NaN past its end), reduced
 * to at most 2 × buckets points when n is larger than that.
 */
export function decimate(
  series: readonly ArrayLike<number>[],
  n: number,
  buckets: number,
): LinePoints {
  buckets = Math.max(1, Math.floor(buckets));
  if (n <= 2 * buckets) {
    const x = Array.from({ length: n }, (_, i) => i + 1);
    const ys = series.map((s) => Array.from({ length: n }, (_, i) => finiteOrNull(s[i])));
    return { x, ys };
  }
  const x: number[] = new Array(2 * buckets);
  const ys: (number | null)[][] = series.map(() => new Array(2 * buckets));
  for (let b = 0; b < buckets; b++) {
    const lo = Math.floor((b * n) / buckets);
    const hi = Math.floor(((b + 1) * n) / buckets); // exclusive
    x[2 * b] = lo + 1;
    x[2 * b + 1] = hi;
    for (let s = 0; s < series.length; s++) {
      const values = series[s];
      const end = Math.min(hi, values.length);
      let min = Infinity;
      let max = -Infinity;
      let minAt = -1;
      let maxAt = -1;
      for (let i = lo; i < end; i++) {
        const v = values[i];
        if (v < min) {
          min = v;
          minAt = i;
        }
        if (v > max) {
          max = v;
          maxAt = i;
        }
      }
      const out = ys[s];
      if (minAt < 0) {
        out[2 * b] = out[2 * b + 1] = null;
      } else if (minAt <= maxAt) {
        out[2 * b] = min;
        out[2 * b + 1] = max;
      } else {
        out[2 * b] = max;
        out[2 * b + 1] = min;
      }
    }
  }
  return { x, ys };
}
