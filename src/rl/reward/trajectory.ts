// The stage-1 trajectory reward (DESIGN.md §1): a forecast τ̂ (n parsed steps) against the
// reference τ* (the oracle's next m ≤ H steps, both in the action language), pure functions.
// The rules named in brackets are settings (reward/settings.ts); the default variant,
// 'prototype', follows the authors' public prototype code path by code path.
//
//   sim(â, a*)  = 0 when the types differ, else w_type + w_detail · detail
//                 (w = 0.6/0.4 at the first step, 0.8/0.2 later, "first" by [stepIndex]; detail
//                 = mean match of target description and argument, token F1 or exact)
//   alignment   n = m: position by position; otherwise greedy [matching]: each predicted step i
//                 takes the reference step j maximising sim − shift·|i − j| above the threshold
//   raw         Σ_pairs γ^k (sim − shift·|i − j|) + done bonus − coverage · unmatched
//               (k = i or j by [stepIndex]; unmatched by [coverageRule]: every unmatched
//               predicted and reference step, or |n − m|)
//   base        raw / (Σ_{j<m} γ^j + done bonus if it can be paid)
//   repetition  windows of `repetitionRun` identical consecutive [repetitionUnit]s
//   accuracy    [repetitionApply] 'after-clip': clip(clip(base) − repetition · runs),
//               'in-sum': clip(base − repetition · runs / normaliser);
//               lengthGuardReward instead when n > m + lengthGuardSlack
//   format      [formatRule] share of well-formed steps, or 1 when the parse is clean
//   total       accuracyWeight · accuracy + formatWeight · format
// A perfect forecast scores accuracy 1 when its window ends with done (and under 'tracelab'
// always). Components in the breakdown are in accuracy units (divided by the normaliser).
import { normalizeAnswer, tokenF1 } from '../../envs/metrics';
import type { FormatError, PlanStep } from '../lang/action-language';
import { repeatsIn } from './repeat';
import { DEFAULT_REWARD_SETTINGS, type RewardSettings } from './settings';

export interface MatchedPair {
  /** Predicted step index. */
  pred: number;
  /** Reference step index. */
  ref: number;
  /** Similarity before the shift penalty. */
  sim: number;
}

export interface RewardBreakdown {
  total: number;
  /** Trajectory accuracy in [0, 1] (after the length guard and clipping). */
  accuracy: number;
  /** Format score in [0, 1] (see formatRule). */
  format: number;
  /** Σ γ^k sim over matched pairs, normalised. */
  alignment: number;
  /** Σ γ^k shift·|i − j|, normalised (subtracted). */
  shiftPenalty: number;
  /** Done bonus paid, normalised. */
  doneBonus: number;
  /** coverage · (extra + missing steps), normalised (subtracted). */
  coveragePenalty: number;
  /** repetition · penalised runs in accuracy units (subtracted; see repetitionApply). */
  repetitionPenalty: number;
  /** The forecast was too long and the accuracy was replaced by lengthGuardReward. */
  lengthGuard: boolean;
  /** Σ_{j<m} γ^j (+ done bonus when it can be paid). */
  normaliser: number;
  predictedSteps: number;
  referenceSteps: number;
  /** Predicted and reference steps the coverage penalty counted (see coverageRule). */
  extraSteps: number;
  missingSteps: number;
  /** Runs of identical steps that were penalised. */
  repeatedRuns: number;
  /** Steps identical to the step before (reward/repeat.ts), and the steps after the first. */
  repeats: { repeats: number; pairs: number };
  pairs: MatchedPair[];
  /**
   * Contribution of each horizon step t = 1..H (index t − 1), in accuracy units: γ-weighted
   * alignment minus shift at the forecast or reference position (stepIndex), coverage penalties at the first unmatched reference
   * (missing) or predicted (extra) positions,
   * repetition penalties where a run completes, the done bonus at the last predicted step.
   * Sums to the accuracy before clipping and the length guard (positions ≥ H are not shown;
   * with repetitionApply 'after-clip' the sum is the accuracy if the first clip did nothing).
   */
  perStep: number[];
  /** sim of the step matched to reference step t (0 when unmatched or t > m), un-discounted. */
  alignmentPerStep: number[];
}

/** Predicted side: steps and the format errors of their parse. */
export interface ParsedForecast {
  steps: readonly PlanStep[];
  errors: readonly FormatError[];
}

function fieldMatch(a: string | undefined, b: string | undefined, how: 'f1' | 'exact'): number {
  if (a === undefined || b === undefined) return 0;
  if (how === 'exact') return normalizeAnswer(a) === normalizeAnswer(b) ? 1 : 0;
  return tokenF1(a, b);
}

/**
 * Mean match of target description and argument over the fields either step has (a field only
 * one side has scores 0); 1 when neither has any (back, home, done…).
 */
export function detailScore(pred: PlanStep, ref: PlanStep, s: RewardSettings): number {
  const scores: number[] = [];
  if (pred.target !== undefined || ref.target !== undefined)
    scores.push(fieldMatch(pred.target, ref.target, s.targetMatch));
  if (pred.arg !== undefined || ref.arg !== undefined)
    scores.push(fieldMatch(pred.arg, ref.arg, s.argMatch));
  if (scores.length === 0) return 1;
  return scores.reduce((a, b) => a + b, 0) / scores.length;
}

/** sim(â, a*): 0 for different (or missing) types, else type weight + detail weight · detail. */
export function stepSimilarity(
  pred: PlanStep,
  ref: PlanStep,
  firstStep: boolean,
  s: RewardSettings,
): number {
  if (pred.type === null || pred.type !== ref.type) return 0;
  const wType = firstStep ? s.firstTypeWeight : s.laterTypeWeight;
  const wDetail = firstStep ? s.firstDetailWeight : s.laterDetailWeight;
  return wType + wDetail * detailScore(pred, ref, s);
}

/** Whether (predicted i, reference j) is the "first" step for the weights and γ^0. */
function stepIndexOf(i: number, j: number, s: RewardSettings): number {
  return s.stepIndex === 'forecast' ? i : j;
}

/** Pairs of predicted and reference steps (see the header for the modes). */
export function alignSteps(
  pred: readonly PlanStep[],
  ref: readonly PlanStep[],
  s: RewardSettings,
): MatchedPair[] {
  const pairs: MatchedPair[] = [];
  if (pred.length === ref.length) {
    for (let k = 0; k < pred.length; k++) {
      const sim = stepSimilarity(pred[k], ref[k], k === 0, s);
      if (sim > 0) pairs.push({ pred: k, ref: k, sim });
    }
    return pairs;
  }
  const used = new Set<number>();
  let lastRef = -1;
  for (let i = 0; i < pred.length; i++) {
    let best = -1;
    let bestValue = s.matching === 'any-unused' ? 0 : -Infinity;
    let bestSim = 0;
    const from = s.matching === 'any-unused' ? 0 : lastRef + 1;
    for (let j = from; j < ref.length; j++) {
      if (used.has(j)) continue;
      const sim = stepSimilarity(pred[i], ref[j], stepIndexOf(i, j, s) === 0, s);
      if (sim === 0) continue;
      const value = sim - s.shiftPenalty * Math.abs(i - j);
      if (value > bestValue) [best, bestValue, bestSim] = [j, value, sim];
    }
    const accepted =
      s.matching === 'any-unused' ? bestValue > s.acceptThreshold : bestValue >= s.acceptThreshold;
    if (best >= 0 && accepted) {
      pairs.push({ pred: i, ref: best, sim: bestSim });
      used.add(best);
      lastRef = best;
    }
  }
  return pairs;
}

function stepKey(step: PlanStep): string {
  const norm = (t: string | undefined) => (t === undefined ? '' : normalizeAnswer(t));
  return `${step.type ?? '?'}|${norm(step.target)}|${norm(step.arg)}`;
}

/**
 * End indices of every window of `run` identical consecutive steps (sliding), comparing whole
 * steps or only their action types.
 */
export function repeatedRunEnds(
  steps: readonly PlanStep[],
  run: number,
  unit: RewardSettings['repetitionUnit'] = 'step',
): number[] {
  const ends: number[] = [];
  const keys = steps.map((st) => (unit === 'type' ? (st.type ?? '?') : stepKey(st)));
  let length = 0;
  for (let i = 0; i < keys.length; i++) {
    length = i > 0 && keys[i] === keys[i - 1] ? length + 1 : 1;
    if (length >= run) ends.push(i);
  }
  return ends;
}

/**
 * Format score of a parse of n steps. 'all-or-nothing': 1 without any format error, else 0.
 * 'step-share': the share of steps without an error of their own, 0 when there is no step or
 * the forecast as a whole is malformed (no end, too many steps, tokens after the end), as the
 * prototype gives 0 when the answer's outer structure does not match.
 */
export function formatScore(
  errors: readonly FormatError[],
  n: number,
  rule: RewardSettings['formatRule'] = 'all-or-nothing',
): number {
  if (rule === 'all-or-nothing') return errors.length === 0 ? 1 : 0;
  if (errors.some((e) => e.step < 0)) return 0;
  const bad = new Set(errors.map((e) => e.step));
  const total = Math.max(n, ...[...bad].map((k) => k + 1));
  return total === 0 ? 0 : (total - bad.size) / total;
}

/**
 * Reward of one forecast against its reference. `H` sets the length of the per-step arrays
 * (default: the longer of the two). Settings are taken as validated (see rewardSettings).
 */
export function trajectoryReward(
  forecast: ParsedForecast,
  reference: readonly PlanStep[],
  s: RewardSettings = DEFAULT_REWARD_SETTINGS,
  H = Math.max(forecast.steps.length, reference.length),
): RewardBreakdown {
  const pred = forecast.steps;
  const n = pred.length;
  const m = reference.length;
  const raw = new Array<number>(H).fill(0);
  const addAt = (t: number, v: number) => {
    if (t >= 0 && t < H) raw[t] += v;
  };
  const alignmentPerStep = new Array<number>(H).fill(0);

  const pairs = alignSteps(pred, reference, s);
  let alignment = 0;
  let shift = 0;
  for (const p of pairs) {
    const k = stepIndexOf(p.pred, p.ref, s);
    const w = s.gamma ** k;
    const penalty = s.shiftPenalty * Math.abs(p.pred - p.ref);
    alignment += w * p.sim;
    shift += w * penalty;
    addAt(k, w * (p.sim - penalty));
    if (p.ref < H) alignmentPerStep[p.ref] = p.sim;
  }

  const predDone = n > 0 && pred[n - 1].status === 'done';
  const refDone = m > 0 && reference[m - 1].status === 'done';
  // See doneBonusRule: whether the bonus is paid, and whether it is part of the normaliser.
  const bonusPaid =
    s.doneBonusRule === 'reference-done'
      ? predDone && refDone
      : s.doneBonusRule === 'status-match'
        ? n > 0 && m > 0 && pred[n - 1].status === reference[m - 1].status
        : predDone;
  const bonusCounted = s.doneBonusRule !== 'reference-done' || refDone;
  const done = bonusPaid ? s.doneBonus : 0;
  addAt(n - 1, done);

  // With equal lengths every position is aligned (the prototype's code path), so 'unmatched'
  // penalises nothing there; otherwise every step left out of the greedy pairs.
  const matched = n === m ? n : pairs.length;
  const extra = s.coverageRule === 'unmatched' ? n - matched : Math.max(0, n - m);
  const missing = s.coverageRule === 'unmatched' ? m - matched : Math.max(0, m - n);
  // Shown at the first unmatched reference positions (missing) or predicted ones (extra).
  const matchedRefs = new Set(pairs.map((p) => p.ref));
  const matchedPreds = new Set(pairs.map((p) => p.pred));
  const unmatched = (count: number, taken: Set<number>) =>
    [...Array(count).keys()].filter((t) => !taken.has(t));
  for (const t of unmatched(m, matchedRefs).slice(0, missing)) addAt(t, -s.coveragePenalty);
  for (const t of unmatched(n, matchedPreds).slice(0, extra)) addAt(t, -s.coveragePenalty);
  const coverage = s.coveragePenalty * (extra + missing);

  const runEnds = repeatedRunEnds(pred, s.repetitionRun, s.repetitionUnit);
  const excused =
    s.repetitionExcuse === 'reference'
      ? repeatedRunEnds(reference, s.repetitionRun, s.repetitionUnit).length
      : 0;
  const penalisedEnds = runEnds.slice(Math.min(excused, runEnds.length));
  const repetition = s.repetitionPenalty * penalisedEnds.length;

  let normaliser = 0;
  for (let j = 0; j < m; j++) normaliser += s.gamma ** j;
  if (bonusCounted) normaliser += s.doneBonus;
  const scale = normaliser > 0 ? 1 / normaliser : 0;
  const clip01 = (x: number) => Math.min(1, Math.max(0, x));

  // The repetition penalty in accuracy units: raw / normaliser inside the sum, or as is after
  // the clip (the prototype subtracts 0.1 per run from the already normalised score).
  const afterClip = s.repetitionApply === 'after-clip';
  const repetitionAcc = afterClip ? repetition : repetition * scale;
  const perStep = raw.map((v) => v * scale);
  for (const t of penalisedEnds)
    if (t < H) perStep[t] -= afterClip ? s.repetitionPenalty : s.repetitionPenalty * scale;

  const sum = alignment - shift + done - coverage;
  const base = normaliser > 0 ? sum / normaliser : n === 0 ? 1 : 0;
  const lengthGuard = n > m + s.lengthGuardSlack;
  const accuracy = lengthGuard
    ? s.lengthGuardReward
    : afterClip
      ? clip01(clip01(base) - repetitionAcc)
      : clip01(base - repetitionAcc);
  const format = formatScore(forecast.errors, n, s.formatRule);
  return {
    total: s.accuracyWeight * accuracy + s.formatWeight * format,
    accuracy,
    format,
    alignment: alignment * scale,
    shiftPenalty: shift * scale,
    doneBonus: done * scale,
    coveragePenalty: coverage * scale,
    repetitionPenalty: repetitionAcc,
    lengthGuard,
    normaliser,
    predictedSteps: n,
    referenceSteps: m,
    extraSteps: extra,
    missingSteps: missing,
    repeatedRuns: penalisedEnds.length,
    repeats: repeatsIn(pred),
    pairs,
    perStep,
    alignmentPerStep,
  };
}
