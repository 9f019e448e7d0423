import { beforeAll, describe, expect, it } from 'vitest';
import { Episode, TEMPLATES } from '../../src/envs';
import { buildVocab } from '../../src/rl/lang/build-vocab';
import type { Vocab } from '../../src/text/vocab';
import {
  parseForecast,
  parseForecastText,
  writeForecast,
  type PlanStep,
} from '../../src/rl/lang/action-language';
import {
  DEFAULT_REWARD_SETTINGS,
  RewardSettingsError,
  rewardSettings,
} from '../../src/rl/reward/settings';
import {
  alignSteps,
  detailScore,
  repeatedRunEnds,
  stepSimilarity,
  trajectoryReward,
} from '../../src/rl/reward/trajectory';

/** The 'tracelab' variant: the rules these hand cases were written for. */
const tracelab = (o: Record<string, unknown> = {}) => rewardSettings({ variant: 'tracelab', ...o });
const S = tracelab();
const step = (
  type: PlanStep['type'],
  target?: string,
  arg?: string,
  status: PlanStep['status'] = 'more',
): PlanStep => ({
  type,
  ...(target !== undefined ? { target } : {}),
  ...(arg !== undefined ? { arg } : {}),
  status,
});
const clean = (steps: PlanStep[]) => ({ steps, errors: [] });

const WIFI = step('click', 'the Wi-Fi toggle');
const OK = step('click', 'the OK button');
const DONE = step('done', undefined, undefined, 'done');
/** Reference of three steps ending with done: normaliser 1 + 0.8 + 0.64 + 0.2 = 2.64. */
const REF = [WIFI, OK, DONE];
const NORM = 2.64;

describe('defaults and settings', () => {
  it('shares the published coefficients across variants', () => {
    expect(S).toMatchObject({
      gamma: 0.8,
      doneBonus: 0.2,
      coveragePenalty: 0.15,
      shiftPenalty: 0.1,
      acceptThreshold: 0.5,
      repetitionPenalty: 0.1,
      repetitionRun: 3,
      lengthGuardSlack: 3,
      lengthGuardReward: 0.05,
      accuracyWeight: 0.9,
      formatWeight: 0.1,
      firstTypeWeight: 0.6,
      firstDetailWeight: 0.4,
      laterTypeWeight: 0.8,
      laterDetailWeight: 0.2,
    });
    expect(rewardSettings()).toEqual(DEFAULT_REWARD_SETTINGS);
    expect(DEFAULT_REWARD_SETTINGS.variant).toBe('prototype');
    expect(rewardSettings({ gamma: 1 }).gamma).toBe(1);
  });

  it('rejects bad settings naming the field', () => {
    const bad: [unknown, RegExp][] = [
      [{ gama: 0.8 }, /'gama': unknown setting/],
      [{ gamma: 1.5 }, /'gamma': must be in \[0, 1\], got 1.5/],
      [{ gamma: '0.8' }, /'gamma': must be a finite number/],
      [{ coveragePenalty: -0.1 }, /'coveragePenalty'/],
      [{ shiftPenalty: NaN }, /'shiftPenalty': must be a finite number/],
      [{ repetitionRun: 2.5 }, /'repetitionRun': must be an integer/],
      [{ repetitionRun: 1 }, /'repetitionRun': must be in \[2, Infinity\]/],
      [{ doneBonusRule: 'sometimes' }, /'doneBonusRule': must be one of 'reference-done'/],
      [{ targetMatch: 'fuzzy' }, /'targetMatch'/],
      [[], /must be an object/],
    ];
    for (const [overrides, message] of bad) {
      expect(() => rewardSettings(overrides)).toThrow(RewardSettingsError);
      expect(() => rewardSettings(overrides)).toThrow(message);
    }
  });
});

describe('detail scoring', () => {
  it('scores target and argument by token F1, or exactly', () => {
    // [bluetooth, toggle] vs [wi, fi, toggle]: P = 1/2, R = 1/3, F1 = 0.4.
    expect(detailScore(step('click', 'the Bluetooth toggle'), WIFI, S)).toBeCloseTo(0.4, 12);
    expect(detailScore(step('click', 'the Wi-Fi toggle'), WIFI, S)).toBe(1);
    const exact = tracelab({ targetMatch: 'exact' });
    expect(detailScore(step('click', 'the Bluetooth toggle'), WIFI, exact)).toBe(0);
    // Exact match still normalises case, punctuation and articles.
    expect(detailScore(step('click', 'Wi Fi toggle'), WIFI, exact)).toBe(1);
  });

  it('averages the fields either step has; a field on one side only scores 0', () => {
    const ref = step('type', 'the Device name field', 'Kitchen phone');
    // Target exact (1), argument [kitchen] vs [kitchen, phone]: F1 = 2/3.
    expect(detailScore(step('type', 'the Device name field', 'Kitchen'), ref, S)).toBeCloseTo(
      (1 + 2 / 3) / 2,
      12,
    );
    expect(detailScore(step('type', undefined, 'Kitchen phone'), ref, S)).toBe(0.5);
    expect(detailScore(step('scroll', undefined, 'up'), step('scroll', undefined, 'down'), S)).toBe(
      0,
    );
    expect(detailScore(step('back'), step('back'), S)).toBe(1);
  });

  it('weights type and detail 0.6/0.4 at the first step and 0.8/0.2 later', () => {
    const bt = step('click', 'the Bluetooth toggle');
    expect(stepSimilarity(bt, WIFI, true, S)).toBeCloseTo(0.6 + 0.4 * 0.4, 12);
    expect(stepSimilarity(bt, WIFI, false, S)).toBeCloseTo(0.8 + 0.2 * 0.4, 12);
    expect(stepSimilarity(step('longpress', 'the Wi-Fi toggle'), WIFI, true, S)).toBe(0);
    expect(stepSimilarity({ type: null, target: 'the Wi-Fi toggle' }, WIFI, true, S)).toBe(0);
  });
});

describe('trajectory reward', () => {
  it('gives a perfect forecast 1, with the breakdown summing up', () => {
    const r = trajectoryReward(clean(REF), REF, S, 5);
    expect(r.total).toBeCloseTo(1, 12);
    expect(r.accuracy).toBeCloseTo(1, 12);
    expect(r.normaliser).toBeCloseTo(NORM, 12);
    expect(r.alignment).toBeCloseTo(2.44 / NORM, 12);
    expect(r.doneBonus).toBeCloseTo(0.2 / NORM, 12);
    expect(r.pairs).toEqual([
      { pred: 0, ref: 0, sim: 1 },
      { pred: 1, ref: 1, sim: 1 },
      { pred: 2, ref: 2, sim: 1 },
    ]);
    expect(r.perStep).toHaveLength(5);
    expect(r.perStep[0]).toBeCloseTo(1 / NORM, 12);
    expect(r.perStep[1]).toBeCloseTo(0.8 / NORM, 12);
    expect(r.perStep[2]).toBeCloseTo(0.84 / NORM, 12); // 0.64 + the done bonus
    expect(r.perStep.slice(3)).toEqual([0, 0]);
    expect(r.alignmentPerStep).toEqual([1, 1, 1, 0, 0]);
  });

  it('aligns position by position when lengths match (detail and type errors)', () => {
    // First step: wrong toggle (sim 0.76); second: a scroll where a click was due (0).
    const pred = [step('click', 'the Bluetooth toggle'), step('scroll', undefined, 'down'), DONE];
    const r = trajectoryReward(clean(pred), REF, S);
    expect(r.pairs.map((p) => [p.pred, p.ref])).toEqual([
      [0, 0],
      [2, 2],
    ]);
    expect(r.accuracy).toBeCloseTo((0.76 + 0 + 0.64 + 0.2) / NORM, 12);
    expect(r.alignmentPerStep).toEqual([expect.closeTo(0.76, 12), 0, 1]);
    // A later step with a half-right target: [ok, button] vs [cancel, button], F1 = 0.5.
    const later = trajectoryReward(clean([WIFI, step('click', 'the Cancel button'), DONE]), REF, S);
    expect(later.accuracy).toBeCloseTo((1 + 0.8 * 0.9 + 0.64 + 0.2) / NORM, 12);
    expect(later.shiftPenalty).toBe(0);
  });

  it('matches greedily with a shift penalty when lengths differ', () => {
    // The forecast skips the first step: OK ↔ ref 1, done ↔ ref 2, each shifted by one.
    const r = trajectoryReward(clean([OK, DONE]), REF, S, 3);
    expect(r.pairs).toEqual([
      { pred: 0, ref: 1, sim: 1 },
      { pred: 1, ref: 2, sim: 1 },
    ]);
    expect(r.shiftPenalty).toBeCloseTo((0.8 * 0.1 + 0.64 * 0.1) / NORM, 12);
    expect(r.missingSteps).toBe(1);
    expect(r.coveragePenalty).toBeCloseTo(0.15 / NORM, 12);
    const raw = 0.8 * 0.9 + 0.64 * 0.9 + 0.2 - 0.15;
    expect(r.accuracy).toBeCloseTo(raw / NORM, 12);
    // The missing step shows at the unmatched reference position; the sum is the accuracy.
    expect(r.perStep[0]).toBeCloseTo(-0.15 / NORM, 12);
    expect(r.perStep.reduce((a, b) => a + b, 0)).toBeCloseTo(r.accuracy, 12);
  });

  it('keeps the greedy matching in order and applies the acceptance threshold', () => {
    const ref = [WIFI, DONE]; // normaliser 1 + 0.8 + 0.2 = 2
    const back = step('back');
    // The click sits 3 positions late: sim 0.76 − 0.3 = 0.46 < 0.5, rejected.
    const pred = [back, back, back, step('click', 'the Bluetooth toggle')];
    const rejected = trajectoryReward(clean(pred), ref, S);
    expect(rejected.pairs).toEqual([]);
    expect(rejected.accuracy).toBe(0); // −0.3 coverage −0.1 repetition, clipped
    expect(rejected.repeatedRuns).toBe(1);
    const lenient = trajectoryReward(clean(pred), ref, tracelab({ acceptThreshold: 0.4 }));
    expect(lenient.pairs).toEqual([{ pred: 3, ref: 0, sim: expect.closeTo(0.76, 12) }]);
    expect(lenient.accuracy).toBeCloseTo((0.76 - 0.3 - 0.3 - 0.1) / 2, 12);
    // Once done (ref 1) is matched, a later click cannot match the earlier ref 0.
    expect(alignSteps([DONE, WIFI, back], ref, S).map((p) => p.ref)).toEqual([1]);
  });

  it('pays the done bonus only when the reference ends with done (default rule)', () => {
    const notDone = [WIFI, OK, step('done')];
    expect(trajectoryReward(clean(notDone), REF, S).accuracy).toBeCloseTo(2.44 / NORM, 12);
    // A window that stops before the end: the bonus is neither paid nor in the normaliser,
    // so a perfect forecast scores 1 and claiming done gains nothing.
    const window = [WIFI, OK];
    expect(trajectoryReward(clean(window), window, S).accuracy).toBeCloseTo(1, 12);
    const claims = [WIFI, step('click', 'the OK button', undefined, 'done')];
    const r = trajectoryReward(clean(claims), window, S);
    expect(r.normaliser).toBeCloseTo(1.8, 12);
    expect(r.doneBonus).toBe(0);
    expect(r.accuracy).toBeCloseTo(1, 12);
  });

  it('offers the literal prototype rule and a status-match rule', () => {
    const window = [WIFI, OK];
    const claims = [WIFI, step('click', 'the OK button', undefined, 'done')];
    const always = tracelab({ doneBonusRule: 'always' });
    expect(trajectoryReward(clean(claims), window, always).accuracy).toBeCloseTo(1, 12);
    expect(trajectoryReward(clean(window), window, always).accuracy).toBeCloseTo(1.8 / 2, 12);
    const match = tracelab({ doneBonusRule: 'status-match' });
    expect(trajectoryReward(clean(window), window, match).accuracy).toBeCloseTo(1, 12);
    expect(trajectoryReward(clean(claims), window, match).accuracy).toBeCloseTo(1.8 / 2, 12);
  });

  it('penalises extra and missing steps by 0.15 each', () => {
    const extra = trajectoryReward(clean([WIFI, OK, step('back'), DONE]), REF, S);
    expect(extra.extraSteps).toBe(1);
    expect(extra.pairs.map((p) => [p.pred, p.ref])).toEqual([
      [0, 0],
      [1, 1],
      [3, 2],
    ]);
    expect(extra.accuracy).toBeCloseTo((1 + 0.8 + 0.64 * 0.9 + 0.2 - 0.15) / NORM, 12);
    const missing = trajectoryReward(clean([WIFI, OK]), REF, S);
    expect(missing.missingSteps).toBe(1);
    expect(missing.accuracy).toBeCloseTo((1.8 - 0.15) / NORM, 12);
    expect(missing.perStep[2]).toBeCloseTo(-0.15 / NORM, 12);
  });

  it('penalises runs of three identical consecutive steps', () => {
    const ref = [WIFI, DONE];
    const pred = [WIFI, WIFI, WIFI, DONE];
    const r = trajectoryReward(clean(pred), ref, S);
    expect(r.repeatedRuns).toBe(1);
    expect(r.repetitionPenalty).toBeCloseTo(0.1 / 2, 12);
    // WIFI↔0, DONE↔1 shifted by 2; two extra steps.
    expect(r.accuracy).toBeCloseTo((1 + 0.8 * 0.8 + 0.2 - 0.3 - 0.1) / 2, 12);
    const free = trajectoryReward(clean(pred), ref, tracelab({ repetitionPenalty: 0 }));
    expect(free.accuracy - r.accuracy).toBeCloseTo(0.05, 12);
    expect(repeatedRunEnds([WIFI, WIFI, WIFI, WIFI, OK], 3)).toEqual([2, 3]);
    // Same type but another target is not a repetition.
    expect(repeatedRunEnds([WIFI, OK, WIFI], 3)).toEqual([]);
  });

  it('does not penalise repetitions the reference itself has, unless told to', () => {
    const tap = step('click', "the item 'Build number'");
    const ref = [tap, tap, tap, DONE];
    expect(trajectoryReward(clean(ref), ref, S).accuracy).toBeCloseTo(1, 12);
    const strict = tracelab({ repetitionExcuse: 'none' });
    const r = trajectoryReward(clean(ref), ref, strict);
    expect(r.repeatedRuns).toBe(1);
    expect(r.accuracy).toBeCloseTo(1 - 0.1 / r.normaliser, 12);
    // Four taps where the reference has three: one excess run.
    expect(trajectoryReward(clean([tap, tap, tap, tap, DONE]), ref, S).repeatedRuns).toBe(1);
  });

  it('applies the length guard when the forecast is over 3 steps longer', () => {
    const ref = [DONE];
    const back = step('back');
    const long = trajectoryReward(clean([back, step('home'), back, step('wait'), DONE]), ref, S);
    expect(long.lengthGuard).toBe(true);
    expect(long.accuracy).toBe(0.05);
    expect(long.total).toBeCloseTo(0.9 * 0.05 + 0.1, 12);
    const four = trajectoryReward(clean([back, step('home'), back, DONE]), ref, S);
    expect(four.lengthGuard).toBe(false);
  });

  it('scores the format: 0.1 of the total, lost on any format error', () => {
    const vocab = buildVocabOnce();
    const good = parseForecastText(vocab, 'click [the Wi-Fi toggle] more | done done', { H: 5 });
    const bad = parseForecastText(vocab, 'click [the Wi-Fi toggle] more | done done | ', { H: 5 });
    const ref = [WIFI, DONE];
    const a = trajectoryReward(good, ref, S);
    const b = trajectoryReward(bad, ref, S);
    expect(a.format).toBe(1);
    expect(b.format).toBe(0);
    expect(a.accuracy).toBeCloseTo(b.accuracy, 12);
    expect(a.total - b.total).toBeCloseTo(0.1, 12);
  });

  it('handles empty forecasts and empty references without NaN', () => {
    const empty = trajectoryReward(clean([]), REF, S, 4);
    expect(empty.accuracy).toBe(0);
    expect(empty.perStep.every(Number.isFinite)).toBe(true);
    expect(trajectoryReward(clean([]), [], S).accuracy).toBe(1);
    expect(trajectoryReward(clean([DONE]), [], S).accuracy).toBe(0);
  });
});

let sharedVocab: Vocab | undefined;
function buildVocabOnce(): Vocab {
  sharedVocab ??= buildVocab({ instructionSeeds: 8, episodeSeeds: 2 });
  return sharedVocab;
}

describe('reward on written and parsed oracle forecasts', () => {
  let vocab: Vocab;
  beforeAll(() => {
    vocab = buildVocabOnce();
  });

  it('scores the oracle forecast 1 and a truncated one lower, for every template', () => {
    for (const template of TEMPLATES.values()) {
      const solution = new Episode(template, 0).oracle();
      if (!solution.ok) continue;
      const H = 6;
      const w = writeForecast(vocab, solution.steps, H);
      const parsed = parseForecast(vocab, w.ids, { H });
      const r = trajectoryReward(parsed, w.steps, S, H);
      expect(r.total, `${template.id}: ${w.text}`).toBeCloseTo(1, 12);
      if (w.steps.length > 1) {
        const short = trajectoryReward(clean(w.steps.slice(0, -1)), w.steps, S, H);
        expect(short.accuracy, template.id).toBeLessThan(1);
      }
    }
  });
});
