// Reward per horizon step over updates, as an image: one pixel column per bucket of updates
// (their mean), one pixel row per step t = 1..H (t = H at the top, as on a y axis). The chart scales the
// image over its plot area, so it shares the x axis with the line charts.

export interface HeatmapImage {
  width: number;
  height: number;
  /** RGBA, row-major, top row = step H; cells without data are transparent. */
  rgba: Uint8ClampedArray<ArrayBuffer>;
  min: number;
  max: number;
}

// Viridis at five stops: readable on light and dark backgrounds and for colour-blind eyes.
const STOPS: readonly [number, number, number][] = [
  [68, 1, 84],
  [59, 82, 139],
  [33, 145, 140],
  [94, 201, 98],
  [253, 231, 37],
];

/** Colour for u in [0, 1]. */
export function viridis(u: number): [number, number, number] {
  const p = Math.min(1, Math.max(0, u)) * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(p));
  const f = p - i;
  const a = STOPS[i];
  const b = STOPS[i + 1];
  return [0, 1, 2].map((k) => Math.round(a[k] + (b[k] - a[k]) * f)) as [number, number, number];
}

/** Mean of each step's finite values in each of `buckets` equal slices of rows 0..n-1. */
export function bucketMeans(perStep: readonly ArrayLike<number>[], n: number, buckets: number) {
  const width = Math.max(0, Math.min(n, Math.floor(buckets)));
  const height = perStep.length;
  const means = new Float64Array(width * height).fill(NaN);
  for (let t = 0; t < height; t++) {
    const values = perStep[t];
    for (let b = 0; b < width; b++) {
      const lo = Math.floor((b * n) / width);
      const hi = Math.floor(((b + 1) * n) / width);
      let sum = 0;
      let count = 0;
      for (let i = lo; i < hi; i++) {
        const v = values[i];
        if (Number.isFinite(v)) {
          sum += v;
          count++;
        }
      }
      if (count > 0) means[t * width + b] = sum / count;
    }
  }
  return { width, height, means };
}

export function heatmapImage(
  perStep: readonly ArrayLike<number>[],
  n: number,
  buckets: number,
): HeatmapImage {
  const { width, height, means } = bucketMeans(perStep, n, buckets);
  let min = Infinity;
  let max = -Infinity;
  for (const v of means) {
    if (!Number.isFinite(v)) continue;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const span = max > min ? max - min : 1;
  const rgba = new Uint8ClampedArray(width * height * 4);
  for (let i = 0; i < means.length; i++) {
    const v = means[i];
    if (!Number.isFinite(v)) continue;
    const [r, g, b] = viridis((v - min) / span);
    const t = Math.floor(i / width);
    const column = i - t * width;
    rgba.set([r, g, b, 255], ((height - 1 - t) * width + column) * 4);
  }
  return {
    width,
    height,
    rgba,
    min: Number.isFinite(min) ? min : NaN,
    max: Number.isFinite(max) ? max : NaN,
  };
}
