// Scoring a rollout (CPU): each sampled forecast is parsed (format errors feed the format
// reward) and scored with the stage-1 trajectory reward against its prompt's reference, the
// oracle's next H steps. Every coefficient comes from the reward settings. Also the summary
// the metrics and evaluations report: mean reward, each component, and per horizon step.
import { parseForecast, type PlanStep } from '../lang/action-language';
import type { Vocab } from '../../text/vocab';
import { trajectoryReward, type RewardBreakdown } from '../reward/trajectory';
import type { RewardSettings } from '../reward/settings';

/** Means over the scored forecasts. */
export interface RewardSummary {
  /** Mean total reward. */
  reward: number;
  /**
   * Mean of each component: accuracy, alignment, shiftPenalty, doneBonus, coveragePenalty,
   * repetitionPenalty, format, lengthGuard (the rate at which the guard fired), and repeatRate
   * (the share of forecast steps identical to the step before, over all forecasts).
   */
  components: Record<string, number>;
  /** (H) mean of breakdown.perStep: the reward each horizon step t = 1..H contributes. */
  perStep: number[];
  /** (H) mean similarity of the step matched to reference step t (0 when unmatched). */
  alignmentPerStep: number[];
}

export interface ScoredForecasts {
  /** (B) total rewards, the GRPO signal. */
  rewards: Float32Array;
  breakdowns: RewardBreakdown[];
  summary: RewardSummary;
}

export const COMPONENTS = [
  'accuracy',
  'alignment',
  'shiftPenalty',
  'doneBonus',
  'coveragePenalty',
  'repetitionPenalty',
  'format',
  'lengthGuard',
] as const;

/**
 * Scores forecasts[b] (ids through <eos>) against references[b] (reference steps, ≤ H).
 * Deterministic and pure.
 */
export function scoreForecasts(
  vocab: Vocab,
  forecasts: readonly (readonly number[])[],
  references: readonly (readonly PlanStep[])[],
  settings: RewardSettings,
  H: number,
): ScoredForecasts {
  if (forecasts.length !== references.length)
    throw new Error(
      `scoreForecasts: ${forecasts.length} forecasts but ${references.length} references`,
    );
  const breakdowns = forecasts.map((ids, b) => {
    const parsed = parseForecast(vocab, ids, { H });
    return trajectoryReward(parsed, references[b], settings, H);
  });
  const rewards = Float32Array.from(breakdowns, (r) => r.total);
  return { rewards, breakdowns, summary: summarizeRewards(breakdowns, H) };
}

export function summarizeRewards(breakdowns: readonly RewardBreakdown[], H: number): RewardSummary {
  const n = Math.max(1, breakdowns.length);
  const mean = (f: (r: RewardBreakdown) => number) => breakdowns.reduce((s, r) => s + f(r), 0) / n;
  const components: Record<string, number> = {};
  for (const c of COMPONENTS)
    components[c] = mean((r) => (c === 'lengthGuard' ? (r.lengthGuard ? 1 : 0) : r[c]));
  const pairs = breakdowns.reduce((s, r) => s + r.repeats.pairs, 0);
  const repeats = breakdowns.reduce((s, r) => s + r.repeats.repeats, 0);
  components.repeatRate = pairs === 0 ? 0 : repeats / pairs;
  const perStep = Array.from({ length: H }, (_, t) => mean((r) => r.perStep[t] ?? 0));
  const alignmentPerStep = Array.from({ length: H }, (_, t) =>
    mean((r) => r.alignmentPerStep[t] ?? 0),
  );
  return { reward: mean((r) => r.total), components, perStep, alignmentPerStep };
}
