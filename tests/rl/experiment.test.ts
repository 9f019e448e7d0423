// The experiment runner's pieces that decide what the table says: the job plan (every method
// and ablation for every seed, `full` with its stage-1 run), settings per method, mean ± std
// over seeds, the repeat rate, and the markdown table's rows.
import { describe, expect, it } from 'vitest';
import {
  estimateJobSeconds,
  estimateSweepSeconds,
  EXPERIMENT_PRESETS,
  jobWork,
  MEASURED_RATES,
  METHODS,
  methodSpec,
  planJobs,
  jobUpdates,
} from '../../src/rl/experiment/plan';
import { repeatRate } from '../../src/rl/experiment/repeat';
import { mergeSettings, methodSettings, type MethodResult } from '../../src/rl/experiment/run-job';
import { buildTable, stat, tableMarkdown, verdict } from '../../src/rl/experiment/table';
import { plannerConfigOf } from '../../src/rl/config/schema';

describe('plan', () => {
  it('runs every method and ablation once per seed, full after stage1 in the same job', () => {
    const jobs = planJobs(3);
    for (const seed of [1, 2, 3]) {
      const ids = jobs.filter((j) => j.seed === seed).flatMap((j) => j.methods);
      expect(new Set(ids)).toEqual(new Set(METHODS.map((m) => m.id)));
      expect(ids).toHaveLength(METHODS.length);
    }
    const withFull = jobs.find((j) => j.methods.includes('full'))!;
    expect(withFull.methods.indexOf('stage1')).toBeLessThan(withFull.methods.indexOf('full'));
    // Asking for `full` alone still trains its stage 1.
    expect(planJobs(1, ['full'])).toEqual([{ seed: 1, methods: ['stage1', 'full'] }]);
  });

  it('covers the paper’s ablations: H ∈ {1, 3, 5, 10, 15}, γ = 1, λ_rep = 0', () => {
    const small = EXPERIMENT_PRESETS.small;
    const settingsOf = (id: string) => methodSettings(small, methodSpec(id), 2);
    expect([1, 3, 5, 10, 15].map((h) => plannerConfigOf(settingsOf(`H=${h}`)).horizon)).toEqual([
      1, 3, 5, 10, 15,
    ]);
    expect(plannerConfigOf(settingsOf('reactive')).horizon).toBe(1);
    expect(settingsOf('gamma=1').reward.gamma).toBe(1);
    expect(settingsOf('stage1').reward.gamma).toBe(0.8);
    expect(settingsOf('rep=0').reward.repetitionPenalty).toBe(0);
    expect(settingsOf('stage1').reward.repetitionPenalty).toBeGreaterThan(0);
    expect(settingsOf('stage1').run.seed).toBe(2);
    // `full` trains only its stage 2 (stage 1 is `stage1`'s): progress counts it once.
    const r = small.settings.run!;
    expect(jobUpdates({ seed: 1, methods: ['sft', 'stage1', 'full'] }, small)).toBe(
      r.stage1Updates! + r.stage2Updates!,
    );
  });

  it('merges nested settings without losing siblings', () => {
    expect(mergeSettings({ a: { x: 1, y: 2 }, l: [1] }, { a: { y: 3 }, l: [2] })).toEqual({
      a: { x: 1, y: 3 },
      l: [2],
    });
  });
});

describe('the claims preset and its estimate', () => {
  it('is sized as the issue asks: 3 seeds of every row, ≥ 200/100 updates, evaluations that decide', () => {
    const p = EXPERIMENT_PRESETS.claims;
    expect(p.settings.run!.stage1Updates).toBeGreaterThanOrEqual(200);
    expect(p.settings.run!.stage2Updates).toBeGreaterThanOrEqual(100);
    // Several clipped steps per rollout batch, so the ratio leaves 1 (the default is EasyR1's 4).
    expect(p.settings.grpo!.minibatches).toBeGreaterThanOrEqual(2);
    expect(p.eval.online).toBeGreaterThanOrEqual(100);
    expect(p.eval.offline).toBeGreaterThanOrEqual(300);
    expect(p.eval.tools).toBeGreaterThanOrEqual(100);
    const jobs = planJobs(3);
    expect(new Set(jobs.flatMap((j) => j.methods))).toEqual(new Set(METHODS.map((m) => m.id)));
  });

  it('estimates a job from its work and a sweep from the least-loaded slot', () => {
    const p = EXPERIMENT_PRESETS.claims;
    const job = { seed: 1, methods: ['sft', 'stage1', 'full'] };
    const w = jobWork(job, p);
    // stage1 trains stage 1; full adds stage 2 from stage1's checkpoint.
    expect(w.stage1).toBe(200);
    expect(w.stage2).toBe(100);
    expect(w.online).toBe(3 * 2 * 100);
    const h15 = jobWork({ seed: 1, methods: ['H=15'] }, p);
    expect(h15.stage1).toBe(200); // an update costs the same at every horizon
    const rates = { ...MEASURED_RATES.claims, onlineEpisode: 0, offlineStep: 0, toolTask: 0 };
    const r = { ...rates, forecastPrompt: 0 };
    expect(estimateJobSeconds(job, p, r)).toBeCloseTo(200 * r.stage1Update + 100 * r.stage2Update);
    expect(estimateSweepSeconds([5, 4, 3, 3, 1], 2)).toBe(8);
    expect(estimateSweepSeconds([5, 4], 1)).toBe(9);
  });
});

describe('statistics', () => {
  it('mean and sample std over seeds', () => {
    const s = stat([0.2, 0.4, 0.6]);
    expect(s.mean).toBeCloseTo(0.4);
    expect(s.std).toBeCloseTo(0.2);
    expect(stat([0.5]).std).toBe(0);
  });

  it('repeat rate: the share of forecast steps that repeat the step before', () => {
    const click = { type: 'click' as const, target: 'the OK button' };
    expect(repeatRate([[click, click, click]])).toBe(1);
    expect(repeatRate([[click, { ...click, target: 'the Cancel button' }]])).toBe(0);
    expect(repeatRate([[click, click], [click]])).toBe(1);
    expect(repeatRate([[click, { type: 'type', arg: 'hi' }, { type: 'type', arg: 'hi' }]])).toBe(
      0.5,
    );
    expect(repeatRate([])).toBe(0);
  });
});

describe('table', () => {
  const result = (method: string, seed: number, sr: number): MethodResult => ({
    method,
    seed,
    horizon: 4,
    suites: {
      'mobile-online': { successRate: sr },
      'web-offline': { stepSuccess: sr / 2, elementAccuracy: 0, operationF1: 0 },
    },
    forecasts: { prompts: 8, repeatRate: 0.1 * seed, groundedSuccess: sr, format: 1 },
    trainReward: {},
    trainSeconds: 1,
    evalSeconds: 1,
  });

  it('aggregates seeds per method and writes one row per method with mean ± std', () => {
    const results = [result('stage1', 1, 0.2), result('stage1', 2, 0.4), result('full', 1, 0.5)];
    const t = buildTable(results, ['mobile-online', 'web-offline']);
    const s1 = t.rows.find((r) => r.method === 'stage1')!;
    expect(s1.seeds).toEqual([1, 2]);
    expect(s1.suites['mobile-online'].successRate.mean).toBeCloseTo(0.3);
    expect(s1.average.mean).toBeCloseTo((0.3 + 0.15) / 2);
    expect(s1.repeatRate.mean).toBeCloseTo(0.15);
    expect(t.rows.map((r) => r.method)).toEqual(['stage1', 'full']);
    const md = tableMarkdown(t, {
      command: 'npm run experiment -- --preset small --seeds 2',
      date: '2026-11-25',
      machine: 'test',
      preset: 'small',
      seeds: 2,
      minutes: 1,
    });
    // Without per-unit outcomes, each seed's value is its one unit: the interval spans seeds.
    expect(md).toContain('| Stage 1 only | 4 | 30.0 [20.0, 40.0] | 15.0 [10.0, 20.0] |');
    expect(md).toContain('| Full (0 → 1 → 2) | 4 | 50.0 [50.0, 50.0] |');
  });

  it('summarises how each stage trained: reward start → end, KL, clip fraction, |ratio − 1|', () => {
    const curve = (clipAt: number) => ({
      update: Array.from({ length: 30 }, (_, i) => i + 1),
      reward: Array.from({ length: 30 }, (_, i) => (i < 10 ? 0.5 : i < 20 ? 0.6 : 0.8)),
      repeatRate: Array<number>(30).fill(0),
      clipFraction: Array.from({ length: 30 }, (_, i) => (i === clipAt ? 0.03 : 0)),
      ratioDeviation: Array<number>(30).fill(0.002),
      kl: Array.from({ length: 30 }, (_, i) => i / 1000),
      evaluations: [],
    });
    const results = [1, 2].map((seed) => ({
      ...result('stage1', seed, 0.2),
      curves: { stage1: curve(seed) },
    }));
    const [row] = buildTable(results, ['mobile-online']).training;
    expect(row).toMatchObject({ method: 'stage1', stage: 'stage1', seeds: 2 });
    expect(row.rewardStart.mean).toBeCloseTo(0.5, 12);
    expect(row.rewardEnd.mean).toBeCloseTo(0.8, 12);
    expect(row.klEnd.mean).toBeCloseTo(0.029, 12);
    expect(row.clipFraction.mean).toBeCloseTo(0.001, 12);
    expect(row.clipFractionMax).toBe(0.03);
    expect(row.ratioDeviation.mean).toBeCloseTo(0.002, 12);
    const md = tableMarkdown(buildTable(results, ['mobile-online']), {
      command: 'x',
      date: 'd',
      machine: 'm',
      preset: 'p',
      seeds: 2,
      minutes: 0,
      gathered: 'npm run experiment -- --table',
    });
    expect(md).toContain(
      '| Stage 1 only | 1 | 2 | 0.500 ± 0.000 → 0.800 ± 0.000 | 0.0290 ± 0.0000 | 1.0e-3; 3.0e-2 | 2.0e-3 |',
    );
    expect(md).toContain('wall clock not measured');
    expect(md).toContain('rewritten from the same jobs by `npm run experiment -- --table`');
  });

  it('intervals resample the units of every seed; contrasts pair seeds and units', () => {
    /** n episodes of which the first k succeed. */
    const episodes = (n: number, k: number) => Array.from({ length: n }, (_, i) => (i < k ? 1 : 0));
    const run = (method: string, seed: number, k: number): MethodResult => ({
      ...result(method, seed, k / 100),
      suites: { 'mobile-online': { successRate: k / 100 } },
      outcomes: { 'mobile-online': episodes(100, k) },
    });
    const results = [
      run('full', 1, 60),
      run('full', 2, 64),
      run('full', 3, 62),
      run('reactive', 1, 40),
      run('reactive', 2, 41),
      run('reactive', 3, 45),
      run('stage1', 1, 50),
      run('stage1', 2, 50),
      run('stage1', 3, 50),
    ];
    const t = buildTable(results, ['mobile-online']);
    const full = t.rows.find((r) => r.method === 'full')!;
    expect(full.ci['mobile-online'].mean).toBeCloseTo(0.62, 12);
    expect(full.ci['mobile-online'].n).toBe(300);
    const width = full.ci['mobile-online'].hi - full.ci['mobile-online'].lo;
    // About ±1.96·√(0.62·0.38/300) ≈ ±5.5 points, plus the seeds' spread.
    expect(width).toBeGreaterThan(0.08);
    expect(width).toBeLessThan(0.2);
    const headline = t.contrasts.find((c) => c.a === 'full' && c.b === 'reactive')!;
    expect(headline.seeds).toEqual([1, 2, 3]);
    expect(headline.effect!.mean).toBeCloseTo(0.2, 12);
    expect(verdict(headline.effect)).toBe('positive');
    const stage2 = t.contrasts.find((c) => c.a === 'full' && c.b === 'stage1')!;
    expect(stage2.effect!.mean).toBeCloseTo(0.12, 12);
    expect(verdict(t.contrasts.find((c) => c.a === 'H=10')!.effect)).toBe('not run');
    const md = tableMarkdown(t, {
      command: 'x',
      date: 'd',
      machine: 'm',
      preset: 'p',
      seeds: 3,
      minutes: 1,
    });
    expect(md).toContain('| anticipatory (full) − reactive, mobile online SR | +20.0 [');
  });
});
