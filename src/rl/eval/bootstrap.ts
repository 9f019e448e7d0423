// Seeded percentile-bootstrap confidence intervals for evaluation results. Units (episodes,
// logged steps, tool tasks) sit in groups (seeds); a resample draws the groups with replacement,
// then the units inside each drawn group with replacement, so an interval holds both the
// evaluation's sampling noise and the spread between training seeds (with one group, it is the
// plain bootstrap of the mean). Several series (suites) share each resample's draw of groups,
// and the statistic is the mean over series of their resampled means: the interval of a
// cross-suite average, or, with per-unit differences, of a paired effect.
import { Rng } from '../../rng';

export interface Interval {
  mean: number;
  /** Bounds of the central `level` interval (2.5 % and 97.5 % for 0.95). */
  lo: number;
  hi: number;
  /** Units in all groups and series together. */
  n: number;
}

export interface BootstrapOptions {
  seed: number;
  /** Resamples drawn (default 2000). */
  resamples?: number;
  /** Coverage of the interval (default 0.95). */
  level?: number;
}

export const DEFAULT_RESAMPLES = 2000;

const mean = (xs: ArrayLike<number>) => {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i];
  return xs.length ? s / xs.length : NaN;
};

/** The q-quantile of sorted values, linearly interpolated. */
function quantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const lo = Math.floor(at);
  const hi = Math.min(sorted.length - 1, lo + 1);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (at - lo);
}

/**
 * series[s][g] = the units of series s in group g; every series has the same groups. The point
 * estimate is the mean over series of (mean over groups of the group's mean). Throws on an
 * empty series or group, or when the series disagree on the number of groups.
 */
export function hierarchicalBootstrap(
  series: readonly (readonly (readonly number[])[])[],
  opts: BootstrapOptions,
): Interval {
  const S = series.length;
  if (S === 0) throw new Error('bootstrap: no series');
  const G = series[0].length;
  series.forEach((groups, s) => {
    if (groups.length !== G || G === 0)
      throw new Error(`bootstrap: series ${s} has ${groups.length} groups, series 0 has ${G}`);
    groups.forEach((u, g) => {
      if (u.length === 0) throw new Error(`bootstrap: series ${s}, group ${g} has no unit`);
    });
  });
  const estimate = (pick: (s: number, g: number) => number) => {
    let total = 0;
    for (let s = 0; s < S; s++) {
      let sum = 0;
      for (let g = 0; g < G; g++) sum += pick(s, g);
      total += sum / G;
    }
    return total / S;
  };
  const point = estimate((s, g) => mean(series[s][g]));
  const R = opts.resamples ?? DEFAULT_RESAMPLES;
  const level = opts.level ?? 0.95;
  const rng = new Rng(opts.seed);
  const draws = new Float64Array(R);
  const groups = new Int32Array(G);
  for (let r = 0; r < R; r++) {
    for (let g = 0; g < G; g++) groups[g] = rng.int(0, G - 1);
    draws[r] = estimate((s, g) => {
      const units = series[s][groups[g]];
      let sum = 0;
      for (let k = 0; k < units.length; k++) sum += units[rng.int(0, units.length - 1)];
      return sum / units.length;
    });
  }
  draws.sort();
  const n = series.reduce((a, groups) => a + groups.reduce((b, u) => b + u.length, 0), 0);
  return {
    mean: point,
    lo: quantile(draws, (1 - level) / 2),
    hi: quantile(draws, 1 - (1 - level) / 2),
    n,
  };
}

/** The plain bootstrap interval of the mean of `values`. */
export function bootstrapMean(values: readonly number[], opts: BootstrapOptions): Interval {
  return hierarchicalBootstrap([[values]], opts);
}

/** "0.412 [0.350, 0.470]" (or in percent with digits = 1 and scale = 100). */
export function formatInterval(i: Interval, scale = 1, digits = 3): string {
  const f = (x: number) => (x * scale).toFixed(digits);
  return `${f(i.mean)} [${f(i.lo)}, ${f(i.hi)}]`;
}
