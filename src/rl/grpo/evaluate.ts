// Held-out evaluation of a planner's forecasts: decode each prompt once (greedy at
// temperature 0, or sampled with a fixed stream so runs compare like for like), score against
// the oracle's next H steps with the trajectory reward, and summarise. Prompts go through the
// sampler in chunks of its batch size; the last chunk is padded with copies that are not scored.
import type { Rng } from '../../rng';
import type { Prompt } from '../data/prompts';
import { resolveMarks } from '../../text/marks';
import type { Vocab } from '../../text/vocab';
import type { RewardSettings } from '../reward/settings';
import type { SampleSettings, Sampler } from '../model/sample';
import { scoreForecasts, summarizeRewards, type RewardSummary } from './score';
import type { RewardBreakdown } from '../reward/trajectory';

export const GREEDY: SampleSettings = { temperature: 0, topP: 1 };

export async function evaluateForecasts(
  sampler: Sampler,
  B: number,
  vocab: Vocab,
  prompts: readonly Prompt[],
  sampling: SampleSettings,
  rng: Rng,
  reward: RewardSettings,
  H: number,
): Promise<RewardSummary> {
  const breakdowns: RewardBreakdown[] = [];
  for (let from = 0; from < prompts.length; from += B) {
    const chunk = prompts.slice(from, from + B);
    const padded = [...chunk, ...Array<Prompt>(B - chunk.length).fill(chunk[0])];
    const s = await sampler.sample(
      padded.map((p) => p.encoded),
      sampling,
      rng,
    );
    const forecasts = chunk.map((p, b) =>
      resolveMarks(
        vocab,
        Array.from(s.ids.subarray(b * s.F, b * s.F + s.lengths[b])),
        p.encoded.labels,
      ),
    );
    const scored = scoreForecasts(
      vocab,
      forecasts,
      chunk.map((p) => p.target.steps),
      reward,
      H,
    );
    breakdowns.push(...scored.breakdowns);
  }
  return summarizeRewards(breakdowns, H);
}

/** A summary as one flat metric map: reward, components, reward@t and alignment@t (t from 1). */
export function summaryMetrics(s: RewardSummary): Record<string, number> {
  const out: Record<string, number> = { reward: s.reward, ...s.components };
  s.perStep.forEach((v, t) => (out[`reward@${t + 1}`] = v));
  s.alignmentPerStep.forEach((v, t) => (out[`alignment@${t + 1}`] = v));
  return out;
}
