import { describe, expect, test } from 'vitest';
import { settingsPreset } from '../../src/rl/config/schema';
import { MetricTable } from '../../src/ui/dashboard/metric-table';
import {
  estimate,
  formatDuration,
  measuredSeconds,
  remaining,
  SpeedBook,
  speedKey,
} from '../../src/ui/train/speed';
import { syntheticMetrics } from './synthetic';

function memoryStorage() {
  const map = new Map<string, string>();
  return {
    getItem: (k: string) => map.get(k) ?? null,
    setItem: (k: string, v: string) => void map.set(k, v),
  };
}

describe('speed', () => {
  test('seconds per update per stage from the elapsed column, skipping a resumed clock', () => {
    const table = new MetricTable();
    // synthetic elapsed = 0.5 s per row; stage 1 starts at row 10
    table.append(syntheticMetrics({ count: 20, stageStarts: [10, 100] }));
    const resumed = syntheticMetrics({ count: 5, from: 20, stageStarts: [10, 100] }).map((m) => ({
      ...m,
      elapsed: 2 * (m.update - 11), // the clock restarts at 0, then 2 s per update
    }));
    table.append(resumed);
    const c = table.snapshot();
    expect(measuredSeconds(c, 0)).toEqual({ seconds: 0.5, samples: 9 });
    const s1 = measuredSeconds(c, 1)!;
    // 9 steps of 0.5 s, the negative jump skipped, then 4 steps of 2 s
    expect(s1.samples).toBe(13);
    expect(s1.seconds).toBeCloseTo((9 * 0.5 + 4 * 2) / 13, 12);
    expect(measuredSeconds(c, 2)).toBeNull();
  });

  test('a preset is estimated only for stages measured with its settings', () => {
    const storage = memoryStorage();
    const book = new SpeedBook(storage);
    const demo = settingsPreset('quick-demo');
    book.record(speedKey(demo, 1), { seconds: 3, samples: 20 });
    const est = estimate(book, demo);
    expect(est).toEqual([
      { stage: 0, updates: 200, seconds: null },
      { stage: 1, updates: 100, seconds: 300 },
      { stage: 2, updates: 50, seconds: null },
    ]);
    // Another backend or model shape is another measurement.
    const cpu = { ...demo, run: { ...demo.run, backend: 'cpu' as const } };
    expect(estimate(book, cpu)[1].seconds).toBeNull();
    expect(speedKey(settingsPreset('teaching'), 1)).not.toBe(speedKey(demo, 1));
    // Kept across page loads; a shorter measurement does not replace a longer one.
    book.record(speedKey(demo, 1), { seconds: 9, samples: 2 });
    expect(new SpeedBook(storage).get(speedKey(demo, 1))).toEqual({ seconds: 3, samples: 20 });
  });

  test('a damaged record loses only the old measurements', () => {
    const storage = memoryStorage();
    storage.setItem('tracelab.speed.v1', '{not json');
    expect(new SpeedBook(storage).get('x')).toBeNull();
  });

  test('durations read naturally', () => {
    expect(formatDuration(12.4)).toBe('12 s');
    expect(formatDuration(600)).toBe('10 min');
    expect(formatDuration(3 * 3600)).toBe('3 h');
  });
});

test('time left: the rest of this stage and the later ones, untimed stages named', () => {
  const book = new SpeedBook(null);
  const demo = settingsPreset('quick-demo');
  book.record(speedKey(demo, 1), { seconds: 2, samples: 10 });
  expect(remaining(book, demo, [0, 100, 50], { stage: 1, update: 40 })).toEqual({
    seconds: 120,
    untimed: [2],
  });
  book.record(speedKey(demo, 2), { seconds: 4, samples: 10 });
  expect(remaining(book, demo, [0, 100, 50], { stage: 2, update: 10 })).toEqual({
    seconds: 160,
    untimed: [],
  });
});
