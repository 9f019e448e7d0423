// The experiment's figures: learning curves per stage (mean over seeds per method) and the
// suite results with intervals, as SVG text that parses and carries one mark per series.
import { describe, expect, it } from 'vitest';
import { experimentFigures, lineChartSvg, meanCurve } from '../../src/rl/experiment/figures';
import type { MethodResult, StageCurve } from '../../src/rl/experiment/run-job';
import { buildTable } from '../../src/rl/experiment/table';

const curve = (n: number, f: (k: number) => number): StageCurve => ({
  update: Array.from({ length: n }, (_, k) => k + 1),
  reward: Array.from({ length: n }, (_, k) => f(k)),
  repeatRate: Array.from({ length: n }, () => 0.1),
  clipFraction: Array.from({ length: n }, () => 0.02),
  ratioDeviation: Array.from({ length: n }, () => 0.05),
  kl: Array.from({ length: n }, () => 0.01),
  evaluations: [{ update: n, metrics: { 'held-out': { reward: f(n) } } }],
});

const result = (method: string, seed: number, stages: string[]): MethodResult => ({
  method,
  seed,
  horizon: 4,
  suites: { 'mobile-online': { successRate: 0.2 * seed } },
  outcomes: { 'mobile-online': [1, 0, 0, 1, 0] },
  forecasts: { prompts: 4, repeatRate: 0, groundedSuccess: 0, format: 1 },
  trainReward: {},
  curves: Object.fromEntries(stages.map((s) => [s, curve(20, (k) => k / 20 + seed / 10)])),
  trainSeconds: 1,
  evalSeconds: 1,
});

/** Every <path> (line) or bar of a series in an SVG. */
const marks = (svg: string, series: string) =>
  svg.split('data-series="').filter((s) => s.startsWith(series + '"')).length;

describe('figures', () => {
  it('averages seeds per update and smooths with a running mean', () => {
    const c = meanCurve([curve(4, (k) => k), curve(4, (k) => k + 2)], 'reward', 2);
    expect(c.xs).toEqual([1, 2, 3, 4]);
    expect(c.ys).toEqual([1, 1.5, 2.5, 3.5]);
  });

  it('draws one line per method for each stage it trained, and the suites with intervals', () => {
    const results = [
      result('stage1', 1, ['stage1']),
      result('stage1', 2, ['stage1']),
      result('full', 1, ['stage2']),
      result('sft', 1, []),
    ];
    const figures = experimentFigures(results, buildTable(results, ['mobile-online']));
    expect(Object.keys(figures).sort()).toEqual([
      'stage1-clip.svg',
      'stage1-held-out.svg',
      'stage1-repeat-rate.svg',
      'stage1-reward.svg',
      'stage2-clip.svg',
      'stage2-held-out.svg',
      'stage2-repeat-rate.svg',
      'stage2-reward.svg',
      'suites.svg',
    ]);
    for (const svg of Object.values(figures)) {
      expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true);
      expect(svg.trim().endsWith('</svg>')).toBe(true);
      expect(svg).not.toMatch(/NaN|undefined/);
    }
    expect(marks(figures['stage1-reward.svg'], 'stage1 (2 seeds)')).toBe(1);
    expect(marks(figures['stage1-reward.svg'], 'full (1 seed)')).toBe(0);
    expect(marks(figures['stage2-reward.svg'], 'full (1 seed)')).toBe(1);
    expect(marks(figures['stage1-clip.svg'], 'clip stage1 (2 seeds)')).toBe(1);
    // Bars for the main methods that were evaluated (sft, stage1, full).
    expect(marks(figures['suites.svg'], 'stage1')).toBe(1);
    expect(marks(figures['suites.svg'], 'sft')).toBe(1);
  });

  it('breaks a line at missing values and says when there is no data', () => {
    const svg = lineChartSvg({
      title: 't',
      xLabel: 'x',
      yLabel: 'y',
      series: [{ label: 'a', xs: [1, 2, 3, 4], ys: [1, NaN, 2, 3] }],
    });
    const d = /d="([^"]+)"/.exec(svg)![1];
    expect(d.match(/M/g)).toHaveLength(2);
    expect(lineChartSvg({ title: 't', xLabel: 'x', yLabel: 'y', series: [] })).toContain('no data');
  });
});
