// The default reward ('prototype' variant) against the authors' public prototype, one code path
// at a time: hand cases computed by hand from the prototype's rules, then a property test
// against a small independent port of the prototype's type-only scorer.
import { describe, expect, it } from 'vitest';
import type { FormatError, PlanStep } from '../../src/rl/lang/action-language';
import { Rng } from '../../src/rng';
import { DEFAULT_REWARD_SETTINGS, rewardSettings } from '../../src/rl/reward/settings';
import { formatScore, repeatedRunEnds, trajectoryReward } from '../../src/rl/reward/trajectory';

const P = DEFAULT_REWARD_SETTINGS;
const T = rewardSettings({ variant: 'tracelab' });
const step = (
  type: PlanStep['type'],
  target?: string,
  status: PlanStep['status'] = 'more',
): PlanStep => ({ type, ...(target !== undefined ? { target } : {}), status });
const clean = (steps: PlanStep[]) => ({ steps, errors: [] });

const WIFI = step('click', 'the Wi-Fi toggle');
const OK = step('click', 'the OK button');
const SAVE = step('click', 'the Save button');
const BACK = step('back');
const HOME = step('home');
const DONE = step('done', undefined, 'done');

describe('prototype variant: hand cases', () => {
  it('is the default, with the prototype rules', () => {
    expect(P).toMatchObject({
      variant: 'prototype',
      stepIndex: 'forecast',
      matching: 'any-unused',
      coverageRule: 'unmatched',
      repetitionUnit: 'type',
      repetitionApply: 'after-clip',
      formatRule: 'step-share',
      doneBonusRule: 'always',
      repetitionExcuse: 'none',
    });
  });

  it('a perfect non-terminal 4-step forecast scores 0.943 (the done bonus stays in the normaliser)', () => {
    const ref = [WIFI, BACK, OK, HOME];
    const r = trajectoryReward(clean(ref), ref, P);
    const acc = 2.952 / 3.152;
    expect(r.accuracy).toBeCloseTo(acc, 12);
    expect(r.total).toBeCloseTo(0.9 * acc + 0.1, 12);
    expect(r.total).toBeCloseTo(0.943, 3);
    expect(trajectoryReward(clean(ref), ref, T).total).toBeCloseTo(1, 12);
  });

  it('a perfect terminal forecast scores 1', () => {
    const ref = [WIFI, BACK, DONE];
    expect(trajectoryReward(clean(ref), ref, P).total).toBeCloseTo(1, 12);
  });

  it('penalises windows of three identical action types after the clip, 0.1 each', () => {
    // Three clicks on three different targets: a repetition of types, not of steps.
    const ref = [WIFI, OK, SAVE, DONE];
    const r = trajectoryReward(clean(ref), ref, P);
    expect(r.repeatedRuns).toBe(1);
    expect(r.repetitionPenalty).toBeCloseTo(0.1, 12);
    expect(r.accuracy).toBeCloseTo(0.9, 12);
    // The earlier rule compares whole steps and sees none.
    expect(trajectoryReward(clean(ref), ref, T).repeatedRuns).toBe(0);
    // Four in a row: two sliding windows.
    expect(repeatedRunEnds([BACK, BACK, BACK, BACK], 3, 'type')).toEqual([2, 3]);
    const four = [BACK, BACK, BACK, BACK, DONE];
    expect(trajectoryReward(clean(four), four, P).accuracy).toBeCloseTo(0.8, 12);
    // After the clip, not inside the sum: in-sum would give 1 − 0.2/normaliser.
    const inSum = rewardSettings({ repetitionApply: 'in-sum' });
    const r2 = trajectoryReward(clean(four), four, inSum);
    expect(r2.accuracy).toBeCloseTo(1 - 0.2 / r2.normaliser, 12);
    // λ_rep = 0 removes it.
    const free = rewardSettings({ repetitionPenalty: 0 });
    expect(trajectoryReward(clean(four), four, free).accuracy).toBeCloseTo(1, 12);
  });

  it('does not excuse repetitions the reference has', () => {
    const ref = [BACK, BACK, BACK, DONE];
    expect(trajectoryReward(clean(ref), ref, P).accuracy).toBeCloseTo(0.9, 12);
  });

  it('equal lengths: every position aligned, wrong steps earn 0 but no coverage penalty', () => {
    const r = trajectoryReward(clean([BACK, HOME]), [WIFI, OK], P);
    expect(r.pairs).toEqual([]);
    expect(r.extraSteps + r.missingSteps).toBe(0);
    expect(r.accuracy).toBe(0);
    expect(r.total).toBeCloseTo(0.1, 12);
  });

  it('different lengths: forecast-index discount, shift inside the pair score, every unmatched step penalised', () => {
    const ref = [WIFI, OK, DONE];
    const pred = [BACK, WIFI, HOME, DONE];
    const r = trajectoryReward(clean(pred), ref, P);
    expect(r.pairs.map((p) => [p.pred, p.ref])).toEqual([
      [1, 0],
      [3, 2],
    ]);
    expect(r.extraSteps).toBe(2);
    expect(r.missingSteps).toBe(1);
    // (0.9·0.8 + 0.9·0.8³ + 0.2 − 0.15·3) / (1 + 0.8 + 0.64 + 0.2)
    const acc = (0.9 * 0.8 + 0.9 * 0.512 + 0.2 - 0.45) / 2.64;
    expect(r.accuracy).toBeCloseTo(acc, 12);
    expect(r.perStep.reduce((a, b) => a + b, 0)).toBeCloseTo(acc, 12);
    // The earlier reading: reference-index discount, |n − m| coverage.
    const t = trajectoryReward(clean(pred), ref, T);
    expect(t.accuracy).toBeCloseTo((1 - 0.1 + 0.64 * (1 - 0.1) + 0.2 - 0.15) / 2.64, 12);
  });

  it('greedy matching may go back to an unused earlier reference step', () => {
    const ref = [BACK, WIFI];
    const pred = [WIFI, BACK, HOME];
    const r = trajectoryReward(clean(pred), ref, P);
    expect(r.pairs.map((p) => [p.pred, p.ref])).toEqual([
      [0, 1],
      [1, 0],
    ]);
    // (0.9·1 + 0.9·0.8 − 0.15) / (1 + 0.8 + 0.2)
    expect(r.accuracy).toBeCloseTo((0.9 + 0.72 - 0.15) / 2, 12);
    expect(trajectoryReward(clean(pred), ref, T).pairs).toHaveLength(1);
  });

  it('accepts a pair only strictly above the threshold', () => {
    // HOME at forecast step 0 only matches reference step 5: 1 − 0.1·5 = 0.5, not > 0.5.
    const ref = [BACK, BACK, BACK, BACK, BACK, HOME];
    expect(trajectoryReward(clean([HOME]), ref, P).pairs).toEqual([]);
    expect(trajectoryReward(clean([HOME]), ref, T).pairs).toHaveLength(1);
  });

  it('pays the done bonus whenever the last step says done', () => {
    const window = [WIFI, OK];
    const r = trajectoryReward(clean([WIFI, DONE]), window, P);
    expect(r.accuracy).toBeCloseTo((1 + 0.2) / 2, 12);
    expect(trajectoryReward(clean([WIFI, DONE]), window, T).accuracy).toBeCloseTo(1 / 1.8, 12);
  });

  it('returns 0.05 when the forecast is over 3 steps longer, before any repetition', () => {
    const r = trajectoryReward(clean([BACK, BACK, BACK, BACK, BACK]), [DONE], P);
    expect(r.lengthGuard).toBe(true);
    expect(r.accuracy).toBe(0.05);
  });

  it('format is the share of well-formed steps, 0 on a whole-forecast error', () => {
    const e = (step: number): FormatError => ({ code: 'missing-target', step, at: 0, message: '' });
    expect(formatScore([e(1)], 4, 'step-share')).toBeCloseTo(0.75, 12);
    expect(formatScore([e(1), e(1), e(3)], 4, 'step-share')).toBeCloseTo(0.5, 12);
    expect(formatScore([], 3, 'step-share')).toBe(1);
    expect(formatScore([], 0, 'step-share')).toBe(0);
    expect(formatScore([e(-1)], 3, 'step-share')).toBe(0);
    expect(formatScore([e(1)], 4, 'all-or-nothing')).toBe(0);
    const r = trajectoryReward({ steps: [WIFI, DONE], errors: [e(0)] }, [WIFI, DONE], P);
    expect(r.format).toBeCloseTo(0.5, 12);
    expect(r.total).toBeCloseTo(0.9 + 0.05, 12);
  });
});

// ---- an independent port of the prototype's type-only accuracy, written from its code ----

interface ProtoAction {
  type: string;
  status: string;
}

function protoAlign(pred: ProtoAction[], gt: ProtoAction[]): [number, number, number][] {
  const sim = (a: ProtoAction, b: ProtoAction) => (a.type === b.type ? 1 : 0);
  if (pred.length === gt.length) return pred.map((p, i) => [i, i, sim(p, gt[i])]);
  const out: [number, number, number][] = [];
  const used = new Set<number>();
  pred.forEach((p, i) => {
    let best: number | null = null;
    let bestScore = 0;
    gt.forEach((g, j) => {
      if (used.has(j)) return;
      const adjusted = Math.max(0, sim(p, g) - Math.abs(i - j) * 0.1);
      if (adjusted > bestScore && adjusted > 0.5) [best, bestScore] = [j, adjusted];
    });
    if (best !== null) {
      out.push([i, best, bestScore]);
      used.add(best);
    }
  });
  return out;
}

function protoAccuracy(pred: ProtoAction[], gt: ProtoAction[]): number {
  if (pred.length === 0 || gt.length === 0) return 0;
  if (pred.length > gt.length + 3) return 0.05;
  const al = protoAlign(pred, gt);
  let total = 0;
  for (const [i, , s] of al) total += s * 0.8 ** i;
  if (pred[pred.length - 1].status === 'done') total += 0.2;
  const cov = (pred.length - al.length) * 0.15 + (gt.length - al.length) * 0.15;
  let max = 0.2;
  for (let i = 0; i < gt.length; i++) max += 0.8 ** i;
  const base = Math.max(0, Math.min(1, (total - cov) / max));
  let repeats = 0;
  for (let i = 0; i + 2 < pred.length; i++)
    if (pred[i].type === pred[i + 1].type && pred[i + 1].type === pred[i + 2].type) repeats++;
  return Math.max(0, Math.min(1, base - 0.1 * repeats));
}

describe('prototype variant: agrees with a port of the prototype', () => {
  it('on 2000 random type-only forecasts (similarity = type match)', () => {
    const typeOnly = rewardSettings({
      firstTypeWeight: 1,
      firstDetailWeight: 0,
      laterTypeWeight: 1,
      laterDetailWeight: 0,
    });
    const types = ['click', 'type', 'scroll', 'back', 'done'] as const;
    const rng = new Rng(15);
    const draw = (max: number): PlanStep[] => {
      const n = 1 + Math.floor(rng.next() * max);
      return Array.from({ length: n }, (_, k) => {
        const type = types[Math.floor(rng.next() * types.length)];
        const status = k === n - 1 && rng.next() < 0.5 ? 'done' : 'more';
        return step(type, type === 'click' ? 'the OK button' : undefined, status);
      });
    };
    const port = (steps: PlanStep[]) => steps.map((s) => ({ type: s.type!, status: s.status! }));
    let differs = 0;
    for (let k = 0; k < 2000; k++) {
      const ref = draw(6);
      const pred = draw(8);
      const ours = trajectoryReward(clean(pred), ref, typeOnly).accuracy;
      const theirs = protoAccuracy(port(pred), port(ref));
      expect(ours, JSON.stringify({ pred, ref })).toBeCloseTo(theirs, 10);
      if (Math.abs(trajectoryReward(clean(pred), ref, T).accuracy - theirs) > 1e-9) differs++;
    }
    // The earlier reading really is a different reward on these cases.
    expect(differs).toBeGreaterThan(500);
  });
});
