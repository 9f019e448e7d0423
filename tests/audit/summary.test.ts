import { describe, expect, it } from 'vitest';
import { formatSpread, median, summarize, type AuditRun } from '../../src/audit/summary';

const run = (view: string, performance: number, tbtMs: number): AuditRun => ({
  view,
  scores: { performance, accessibility: 100 },
  tbtMs,
});

describe('audit summary', () => {
  it('takes the middle value, or the mean of the middle two', () => {
    expect(median([95, 80, 90])).toBe(90);
    expect(median([80, 96, 90, 86])).toBe(88);
    expect(() => median([])).toThrow(/no values/);
  });

  it('reports each view once with the median score, its range and the median TBT', () => {
    const runs = [
      run('train', 82, 420),
      run('worlds', 97, 120),
      run('train', 90, 330),
      run('worlds', 80, 500),
      run('train', 95, 150),
      run('worlds', 86, 300),
    ];
    const [train, worlds] = summarize(runs);
    expect(train.view).toBe('train');
    expect(train.runs).toBe(3);
    expect(train.scores.performance).toEqual({ median: 90, min: 82, max: 95 });
    expect(train.scores.accessibility).toEqual({ median: 100, min: 100, max: 100 });
    expect(train.tbtMs.median).toBe(330);
    expect(worlds.scores.performance).toEqual({ median: 86, min: 80, max: 97 });
    expect(worlds.tbtMs).toEqual({ median: 300, min: 120, max: 500 });
  });

  it('writes a range only where the runs differ', () => {
    expect(formatSpread({ median: 90, min: 82, max: 95 })).toBe('90 (82–95)');
    expect(formatSpread({ median: 100, min: 100, max: 100 })).toBe('100');
  });
});
