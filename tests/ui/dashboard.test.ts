// The dashboard's data path without a browser: columnar table growth and snapshots, min/max
// decimation, the heatmap image, the chart list and evaluation points, and the formatters.
import { describe, expect, test } from 'vitest';
import {
  CHARTS,
  evaluationPoints,
  mergeSparse,
  REWARD_GROUPS,
  rewardGroupOf,
} from '../../src/ui/dashboard/charts';
import { smooth, smoothingSpan } from '../../src/ui/dashboard/smooth';
import { PALETTE } from '../../src/ui/dashboard/palette';
import { decimate } from '../../src/ui/dashboard/decimate';
import { bucketMeans, heatmapImage, viridis } from '../../src/ui/dashboard/heatmap';
import { lastFinite, MetricTable } from '../../src/ui/dashboard/metric-table';
import { formatBytes } from '../../src/ui/runs/format';
import { syntheticMetrics } from './synthetic';

describe('MetricTable', () => {
  test('columns match the records across growth, and old snapshots stay valid', () => {
    const all = syntheticMetrics({ count: 1000, stageStarts: [100, 600] });
    const table = new MetricTable();
    table.append(all.slice(0, 10));
    const early = table.snapshot();
    for (let k = 10; k < 1000; k += 30) table.append(all.slice(k, k + 30));
    const c = table.snapshot();

    expect(c.length).toBe(1000);
    expect(Array.from(c.scalars.loss)).toEqual(all.map((m) => m.loss));
    expect(Array.from(c.update)).toEqual(all.map((m) => m.update));
    expect(c.stageStarts).toEqual([
      { stage: 0, row: 0 },
      { stage: 1, row: 100 },
      { stage: 2, row: 600 },
    ]);
    // A component first seen at row 100 is NaN before it.
    const alignment = c.components.get('alignment')!;
    expect(alignment[99]).toBeNaN();
    expect(alignment[100]).toBeCloseTo(all[100].rewardComponents.alignment);
    expect(c.perStep).toHaveLength(5);
    expect(c.perStep[2][700]).toBeCloseTo(all[700].rewardPerStep[2]);
    expect(c.evaluations.map((e) => e.row)).toEqual(
      Array.from({ length: 10 }, (_, i) => i * 100 + 99),
    );

    expect(early.length).toBe(10);
    expect(Array.from(early.scalars.loss)).toEqual(all.slice(0, 10).map((m) => m.loss));
  });

  test('a longer horizon later adds step columns without disturbing earlier rows', () => {
    const table = new MetricTable();
    const [a, b] = syntheticMetrics({ count: 2, stageStarts: [0, 99] });
    table.append([
      { ...a, rewardPerStep: [0.5] },
      { ...b, rewardPerStep: [0.1, 0.2, 0.3] },
    ]);
    const c = table.snapshot();
    expect(c.perStep.map((s) => Array.from(s))).toEqual([
      [0.5, 0.1],
      [NaN, 0.2],
      [NaN, 0.3],
    ]);
  });

  test('appending 10,000 records in batches of 20 stays fast', () => {
    const all = syntheticMetrics({ count: 10_000 });
    const table = new MetricTable();
    const t0 = performance.now();
    for (let k = 0; k < all.length; k += 20) {
      table.append(all.slice(k, k + 20));
      table.snapshot();
    }
    expect(performance.now() - t0).toBeLessThan(1500);
    expect(lastFinite(table.snapshot().scalars.reward)).toEqual({
      row: 9_999,
      value: all[9_999].reward,
    });
  });
});

describe('decimate', () => {
  test('short series pass through with NaN as gaps', () => {
    const { x, ys } = decimate([Float64Array.of(1, NaN, 3)], 3, 100);
    expect(x).toEqual([1, 2, 3]);
    expect(ys).toEqual([[1, null, 3]]);
  });

  test('long series keep each bucket’s min and max in the order they occurred', () => {
    const n = 10_000;
    const values = Float64Array.from({ length: n }, (_, i) => Math.sin(i / 50));
    values[4321] = 9; // a spike must survive
    values[4335] = -5; // after the spike, in the same bucket
    values[7777] = -9;
    const { x, ys } = decimate([values], n, 500);
    expect(x).toHaveLength(1000);
    expect(x[0]).toBe(1);
    expect(x.at(-1)).toBe(n);
    const y = ys[0] as number[];
    expect(Math.max(...y)).toBe(9);
    expect(Math.min(...y)).toBe(-9);
    // Bucket 216 holds rows 4320..4339: the maximum (4321) comes before the minimum (4335).
    expect([y[2 * 216], y[2 * 216 + 1]]).toEqual([9, -5]);
    // Bucket 388 holds rows 7760..7779: the minimum (7777) comes last.
    expect(y[2 * 388 + 1]).toBe(-9);
    for (let b = 0; b < 500; b++) {
      const slice = values.subarray((b * n) / 500, ((b + 1) * n) / 500);
      expect([y[2 * b], y[2 * b + 1]].sort((p, q) => p - q)).toEqual([
        Math.min(...slice),
        Math.max(...slice),
      ]);
    }
  });

  test('a shorter second series is padded with gaps on the shared x', () => {
    const a = new Float64Array(1000).fill(1);
    const b = new Float64Array(400).fill(2);
    const { x, ys } = decimate([a, b], 1000, 100);
    expect(x).toHaveLength(200);
    expect(ys[1].slice(0, 80).every((v) => v === 2)).toBe(true);
    expect(ys[1].slice(80).every((v) => v === null)).toBe(true);
    expect(ys[0].every((v) => v === 1)).toBe(true);
  });
});

describe('heatmap', () => {
  test('bucket means per step, ignoring NaN', () => {
    const step1 = Float64Array.of(1, 3, NaN, 5);
    const step2 = Float64Array.of(NaN, NaN, 2, 4);
    const { width, height, means } = bucketMeans([step1, step2], 4, 2);
    expect([width, height]).toEqual([2, 2]);
    expect(Array.from(means)).toEqual([2, 5, NaN, 3]);
  });

  test('image: step H on the top row, colour by value, no data transparent', () => {
    const img = heatmapImage([Float64Array.of(0, 1), Float64Array.of(NaN, 0.5)], 2, 2);
    expect([img.width, img.height, img.min, img.max]).toEqual([2, 2, 0, 1]);
    const px = (x: number, y: number) =>
      Array.from(img.rgba.subarray((y * 2 + x) * 4, (y * 2 + x) * 4 + 4));
    expect(px(0, 0)[3]).toBe(0); // step 2, update 1: no data
    expect(px(1, 0)).toEqual([...viridis(0.5), 255]);
    expect(px(0, 1)).toEqual([...viridis(0), 255]); // step 1 on the bottom row
    expect(px(1, 1)).toEqual([...viridis(1), 255]);
  });

  test('never more columns than rows', () => {
    expect(heatmapImage([Float64Array.of(1, 2, 3)], 3, 600).width).toBe(3);
  });
});

describe('charts', () => {
  test('every curve the issue asks for is charted', () => {
    const table = new MetricTable();
    table.append(syntheticMetrics({ count: 700 }));
    const c = table.snapshot();
    const labels = CHARTS.flatMap((spec) => spec.lines(c).map((l) => l.label));
    expect(labels).toEqual([
      'mean reward',
      'loss',
      'KL',
      'entropy',
      'clip fraction',
      'mean |ρ − 1|',
      'grad norm',
      'updates/s',
      'tokens/s',
    ]);
    for (const spec of CHARTS) for (const l of spec.lines(c)) expect(l.values).toHaveLength(700);
  });

  test('the PPO clip fraction and ratio deviation share a chart; stages without a ratio are gaps', () => {
    const records = syntheticMetrics({ count: 300, stageStarts: [100, 200] }).map((m, i) =>
      m.stage === 0 ? m : { ...m, clipFraction: 0.05 + i / 3000, ratioDeviation: 0.01 + i / 1e4 },
    );
    const table = new MetricTable();
    table.append(records);
    const clip = CHARTS.find((s) => s.id === 'clip')!;
    const [fraction, deviation] = clip.lines(table.snapshot());
    expect(fraction.label).toBe('clip fraction');
    expect(Array.from(fraction.values)).toEqual(records.map((m) => m.clipFraction));
    expect(deviation.label).toBe('mean |ρ − 1|');
    expect(Array.from(deviation.values)).toEqual(records.map((m) => m.ratioDeviation ?? NaN));
    expect(deviation.values[99]).toBeNaN();
    expect(deviation.values[250]).toBeCloseTo(0.035);
    expect(clip.explain).toMatch(/clip range.*\|ρ − 1\|/);
  });

  test('reward components in four groups: total, alignment, penalties, format', () => {
    const table = new MetricTable();
    table.append(syntheticMetrics({ count: 600 }));
    table.append([
      {
        ...syntheticMetrics({ count: 1, from: 600 })[0],
        rewardComponents: {
          accuracy: 0.5,
          alignment: 0.4,
          doneBonus: 0.2,
          shiftPenalty: 0.1,
          coveragePenalty: 0.15,
          repetitionPenalty: 0,
          lengthGuard: 0,
          format: 1,
          reward: 0.5,
          success: 0.3,
        },
      },
    ]);
    const c = table.snapshot();
    const reward = CHARTS.find((s) => s.id === 'reward')!;
    expect(reward.groups!.map((g) => g.id)).toEqual(['total', 'alignment', 'penalties', 'format']);
    const labels = (g: string) => reward.lines(c, g).map((l) => l.label);
    // Stage 2's `reward` component is the mean reward again: drawn once.
    expect(labels('total')).toEqual(['mean reward', 'accuracy', 'success']);
    expect(labels('alignment')).toEqual(['alignment', 'doneBonus']);
    expect(labels('penalties')).toEqual([
      'shiftPenalty',
      'coveragePenalty',
      'repetitionPenalty',
      'lengthGuard',
    ]);
    expect(labels('format')).toEqual(['format']);
    // No group draws more lines than the palette has colours.
    for (const g of REWARD_GROUPS) expect(labels(g.id).length).toBeLessThanOrEqual(PALETTE.length);
    expect(rewardGroupOf('someNewPenalty')).toBe('penalties');
  });

  test('evaluation points per suite, and two runs merged on one x axis', () => {
    const table = new MetricTable();
    table.append(syntheticMetrics({ count: 300 }));
    const a = evaluationPoints(table.snapshot());
    expect(a.x).toEqual([100, 200, 300]);
    expect(a.lines.map((l) => l.label)).toEqual(['mobile success', 'desktop success']);
    expect(a.lines[0].values).toEqual([0.0099, 0.0199, 0.0299]);

    const b = { x: [150, 300], lines: [{ label: 'B', values: [0.5, 0.6] }] };
    const merged = mergeSparse(a, b);
    expect(merged.x).toEqual([100, 150, 200, 300]);
    expect(merged.lines.at(-1)!.values).toEqual([null, 0.5, null, 0.6]);
    expect(merged.lines[0].values).toEqual([0.0099, null, 0.0199, 0.0299]);
  });
});

describe('smooth', () => {
  test('span 1 returns the values; NaN rows stay NaN without resetting the average', () => {
    expect([...smooth([1, 5, 3], 3, 1)]).toEqual([1, 5, 3]);
    const out = smooth([1, NaN, 1, 1], 4, 4);
    expect(out[1]).toBeNaN();
    expect(out[3]).toBeCloseTo(1, 12);
  });

  test('bias-corrected: starts at the first value, follows a step, flattens noise', () => {
    const step = Array.from({ length: 200 }, (_, i) => (i < 100 ? 0 : 1));
    const s = smooth(step, 200, 10);
    expect(s[0]).toBe(0);
    expect(s[100]).toBeCloseTo(0.1, 4);
    expect(s[199]).toBeGreaterThan(0.999);
    const noisy = Array.from({ length: 400 }, (_, i) => (i % 2 === 0 ? 1 : -1));
    const flat = smooth(noisy, 400, smoothingSpan(400));
    expect(Math.abs(flat[399])).toBeLessThan(0.1);
  });

  test('span follows the length: 1 for short curves, capped for long ones', () => {
    expect(smoothingSpan(10)).toBe(1);
    expect(smoothingSpan(400)).toBe(20);
    expect(smoothingSpan(1_000_000)).toBe(200);
  });
});

test('formatBytes uses decimal units like the browser', () => {
  expect(formatBytes(0)).toBe('0 B');
  expect(formatBytes(1536)).toBe('1.5 KB');
  expect(formatBytes(3_400_000)).toBe('3.4 MB');
  expect(formatBytes(250_000_000)).toBe('250 MB');
  expect(formatBytes(null)).toBe('unknown');
});
