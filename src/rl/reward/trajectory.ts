// The stage-1 trajectory reward (DESIGN.md §1): a forecast τ̂ (n parsed steps) against the
// reference τ* (the oracle's next m ≤ H steps, both in the action language), pure functions.
//
//   sim(â, a*)  = 0 when the types differ, else w_type + w_detail · detail
//                 (w = 0.6/0.4 at the first reference step, 0.8/0.2 later; detail = mean
//                 match of target description and argument, token F1 or exact)
//   alignment   n = m: position by position; otherwise greedy, in order: each predicted step
//                 takes the later unmatched reference step of its type that maximises
//                 sim − shift·|i − j|, if that is ≥ the acceptance threshold
//   raw         Σ_pairs γ^j (sim − shift·|i − j|) + done bonus
//               − coverage · |n − m| − repetition · (excess runs of 3 identical steps)
//   accuracy    clip(raw / (Σ_{j<m} γ^j + done bonus if it can be paid), 0, 1),
//               or lengthGuardReward when n > m + lengthGuardSlack
//   total       accuracyWeight · accuracy + formatWeight · format (1 when the parse is clean)
// A perfect forecast scores accuracy 1. All components in the breakdown are divided by the
// same normaliser, so accuracy = clip(alignment − shift + done − coverage − repetition).
import { normalizeAnswer, tokenF1 } from '../../envs/metrics';
import type { FormatError, PlanStep } from '../lang/action-language';
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
  /** 1 when the forecast parsed without a format error, else 0. */
  format: number;
  /** Σ γ^j sim over matched pairs, normalised. */
  alignment: number;
  /** Σ γ^j shift·|i − j|, normalised (subtracted). */
  shiftPenalty: number;
  /** Done bonus paid, normalised. */
  doneBonus: number;
  /** coverage · |n − m|, normalised (subtracted). */
  coveragePenalty: number;
  /** repetition · excess runs, normalised (subtracted). */
  repetitionPenalty: number;
  /** The forecast was too long and the accuracy was replaced by lengthGuardReward. */
  lengthGuard: boolean;
  /** Σ_{j<m} γ^j (+ done bonus when it can be paid). */
  normaliser: number;
  predictedSteps: number;
  referenceSteps: number;
  extraSteps: number;
  missingSteps: number;
  /** Runs of identical steps that were penalised. */
  repeatedRuns: number;
  pairs: MatchedPair[];
  /**
   * Contribution of each horizon step t = 1..H (index t − 1), normalised: γ-weighted alignment
   * minus shift at the reference position, coverage penalties at the first unmatched reference
   * (missing) or predicted (extra) positions,
   * repetition penalties where a run completes, the done bonus at the last predicted step.
   * Sums to the accuracy before clipping and the length guard (positions ≥ H are not shown).
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

/** Pairs of predicted and reference steps (see the header for the two modes). */
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
  let lastRef = -1;
  for (let i = 0; i < pred.length; i++) {
    let best = -1;
    let bestValue = -Infinity;
    let bestSim = 0;
    for (let j = lastRef + 1; j < ref.length; j++) {
      const sim = stepSimilarity(pred[i], ref[j], j === 0, s);
      if (sim === 0) continue;
      const value = sim - s.shiftPenalty * Math.abs(i - j);
      if (value > bestValue) [best, bestValue, bestSim] = [j, value, sim];
    }
    if (best >= 0 && bestValue >= s.acceptThreshold) {
      pairs.push({ pred: i, ref: best, sim: bestSim });
      lastRef = best;
    }
  }
  return pairs;
}

function stepKey(step: PlanStep): string {
  const norm = (t: string | undefined) => (t === undefined ? '' : normalizeAnswer(t));
  return `${step.type ?? '?'}|${norm(step.target)}|${norm(step.arg)}`;
}

/** End indices of every window of `run` identical consecutive steps (sliding). */
export function repeatedRunEnds(steps: readonly PlanStep[], run: number): number[] {
  const ends: number[] = [];
  const keys = steps.map(stepKey);
  let length = 0;
  for (let i = 0; i < keys.length; i++) {
    length = i > 0 && keys[i] === keys[i - 1] ? length + 1 : 1;
    if (length >= run) ends.push(i);
  }
  return ends;
}

/** 1 when the parse has no format error, else 0. */
export function formatScore(errors: readonly FormatError[]): number {
  return errors.length === 0 ? 1 : 0;
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
    const w = s.gamma ** p.ref;
    const penalty = s.shiftPenalty * Math.abs(p.pred - p.ref);
    alignment += w * p.sim;
    shift += w * penalty;
    addAt(p.ref, w * (p.sim - penalty));
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

  const extra = Math.max(0, n - m);
  const missing = Math.max(0, m - n);
  // Shown at the first unmatched reference positions (missing) or predicted ones (extra);
  // there are always enough, since pairs ≤ min(n, m).
  const matchedRefs = new Set(pairs.map((p) => p.ref));
  const matchedPreds = new Set(pairs.map((p) => p.pred));
  const unmatched = (count: number, matched: Set<number>) =>
    [...Array(count).keys()].filter((t) => !matched.has(t));
  for (const t of unmatched(m, matchedRefs).slice(0, missing)) addAt(t, -s.coveragePenalty);
  for (const t of unmatched(n, matchedPreds).slice(0, extra)) addAt(t, -s.coveragePenalty);
  const coverage = s.coveragePenalty * (extra + missing);

  const runEnds = repeatedRunEnds(pred, s.repetitionRun);
  const excused =
    s.repetitionExcuse === 'reference' ? repeatedRunEnds(reference, s.repetitionRun).length : 0;
  const penalisedEnds = runEnds.slice(Math.min(excused, runEnds.length));
  for (const t of penalisedEnds) addAt(t, -s.repetitionPenalty);
  const repetition = s.repetitionPenalty * penalisedEnds.length;

  let normaliser = 0;
  for (let j = 0; j < m; j++) normaliser += s.gamma ** j;
  if (bonusCounted) normaliser += s.doneBonus;

  const sum = alignment - shift + done - coverage - repetition;
  const unclipped = normaliser > 0 ? sum / normaliser : n === 0 ? 1 : 0;
  const lengthGuard = n > m + s.lengthGuardSlack;
  const accuracy = lengthGuard ? s.lengthGuardReward : Math.min(1, Math.max(0, unclipped));
  const format = formatScore(forecast.errors);
  const scale = normaliser > 0 ? 1 / normaliser : 0;
  return {
    total: s.accuracyWeight * accuracy + s.formatWeight * format,
    accuracy,
    format,
    alignment: alignment * scale,
    shiftPenalty: shift * scale,
    doneBonus: done * scale,
    coveragePenalty: coverage * scale,
    repetitionPenalty: repetition * scale,
    lengthGuard,
    normaliser,
    predictedSteps: n,
    referenceSteps: m,
    extraSteps: extra,
    missingSteps: missing,
    repeatedRuns: penalisedEnds.length,
    pairs,
    perStep: raw.map((v) => v * scale),
    alignmentPerStep,
  };
}
