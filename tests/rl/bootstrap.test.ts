// The bootstrap intervals of the evaluation: seeded and reproducible, the right width on a
// case with a known answer, covering the truth at about the nominal rate, and the hierarchy
// (seeds, then units) widening the interval when seeds disagree.
import { describe, expect, it } from 'vitest';
import { bootstrapMean, formatInterval, hierarchicalBootstrap } from '../../src/rl/eval/bootstrap';
import { Rng } from '../../src/rng';

describe('bootstrap confidence intervals', () => {
  it('is seeded: the same seed gives the same interval, another seed a slightly different one', () => {
    const xs = Array.from({ length: 100 }, (_, i) => ((i * 37) % 101) / 100);
    const a = bootstrapMean(xs, { seed: 1 });
    expect(bootstrapMean(xs, { seed: 1 })).toEqual(a);
    expect(bootstrapMean(xs, { seed: 2 })).not.toEqual(a);
    expect(a.mean).toBeCloseTo(xs.reduce((s, x) => s + x, 0) / 100, 12);
    expect(a.n).toBe(100);
  });

  it('matches the normal approximation for a proportion (p = 0.3, n = 400)', () => {
    const xs = Array.from({ length: 400 }, (_, i) => (i < 120 ? 1 : 0));
    const ci = bootstrapMean(xs, { seed: 3, resamples: 4000 });
    const half = 1.96 * Math.sqrt((0.3 * 0.7) / 400); // 0.0449
    expect(ci.hi - ci.lo).toBeGreaterThan(2 * half * 0.9);
    expect(ci.hi - ci.lo).toBeLessThan(2 * half * 1.1);
    expect(ci.lo).toBeLessThan(0.3);
    expect(ci.hi).toBeGreaterThan(0.3);
  });

  it('covers the true mean in about 95 % of repeated experiments', () => {
    const rng = new Rng(11);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      const xs = Array.from({ length: 60 }, () => (rng.next() < 0.4 ? 1 : 0));
      const ci = bootstrapMean(xs, { seed: t, resamples: 500 });
      if (ci.lo <= 0.4 && 0.4 <= ci.hi) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThan(0.99);
  });

  it('seeds that disagree widen the interval; series average with a shared draw of seeds', () => {
    const agree = [Array(50).fill(0.5), Array(50).fill(0.5), Array(50).fill(0.5)].map((g) =>
      g.map((_: number, i: number) => (i % 2 ? 1 : 0)),
    );
    const disagree = [
      Array.from({ length: 50 }, (_, i) => (i < 10 ? 1 : 0)),
      Array.from({ length: 50 }, (_, i) => (i < 25 ? 1 : 0)),
      Array.from({ length: 50 }, (_, i) => (i < 40 ? 1 : 0)),
    ];
    const a = hierarchicalBootstrap([agree], { seed: 1 });
    const d = hierarchicalBootstrap([disagree], { seed: 1 });
    expect(a.mean).toBeCloseTo(0.5, 12);
    expect(d.mean).toBeCloseTo(0.5, 12);
    expect(d.hi - d.lo).toBeGreaterThan(1.5 * (a.hi - a.lo));
    const both = hierarchicalBootstrap([agree, disagree], { seed: 1 });
    expect(both.mean).toBeCloseTo(0.5, 12);
    expect(both.n).toBe(300);
    expect(formatInterval(a, 100, 1)).toMatch(/^50\.0 \[\d+\.\d, \d+\.\d\]$/);
  });

  it('rejects empty or mismatched input, naming what is wrong', () => {
    expect(() => hierarchicalBootstrap([], { seed: 1 })).toThrow(/no series/);
    expect(() => hierarchicalBootstrap([[[1], []]], { seed: 1 })).toThrow(/group 1 has no unit/);
    expect(() => hierarchicalBootstrap([[[1]], [[1], [0]]], { seed: 1 })).toThrow(
      /series 1 has 2 groups/,
    );
  });
});
