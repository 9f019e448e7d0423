// Rollout: a group of G forecasts per prompt from the current policy, with the KV-cache
// sampler, and the batch that teacher-forces them back through the planner. Row b of the
// B = prompts·G batch belongs to prompt ⌊b/G⌋ (the layout groupNormalize expects); its
// forecast is the sampled ids through the first <eos> (all F ids when none came), and those
// are exactly the positions the loss sees: packBatch puts a target at P−1+j for j < len_b
// and −1 everywhere else.
import type { Rng } from '../../rng';
import { resolveMarks } from '../../text/marks';
import type { Vocab } from '../../text/vocab';
import { packBatch, type EncodedPrompt, type PlannerBatch } from '../model/encode';
import { repeatPrompts, type SampleSettings, type Sampler } from '../model/sample';
import type { ModelDims } from '../model/config';

export interface Rollout {
  /** Samples per prompt. */
  G: number;
  /** B = prompts·G rows. */
  B: number;
  /** Forecast positions per row. */
  F: number;
  /** (B) forecast ids of each row, through its first <eos>. */
  forecasts: number[][];
  /** (B) the forecasts with their label marks expanded: what rewards and displays read. */
  readable: number[][];
  /** (B) forecast lengths (tokens the loss sees), = forecasts[b].length. */
  lengths: Int32Array;
  /** (B, F) log-probs of the sampled ids under the sampling policy (temperature 1). */
  logpOld: Float32Array;
  /** The sampled sequences as a teacher-forced batch (targets = the forecast tokens). */
  batch: PlannerBatch;
  /** Σ lengths: the forecast tokens sampled. */
  tokens: number;
}

/** Samples G forecasts for each prompt (sampler batch size = prompts.length · G). */
export async function sampleGroups(
  sampler: Sampler,
  vocab: Vocab,
  dims: ModelDims,
  prompts: readonly EncodedPrompt[],
  G: number,
  settings: SampleSettings,
  rng: Rng,
): Promise<Rollout> {
  const rows = repeatPrompts(prompts, G);
  const s = await sampler.sample(rows, settings, rng);
  const { F } = s;
  const forecasts = rows.map((_, b) => Array.from(s.ids.subarray(b * F, b * F + s.lengths[b])));
  const batch = packBatch(
    dims,
    vocab,
    rows.map((prompt, b) => ({ prompt, forecast: forecasts[b] })),
  );
  const readable = forecasts.map((ids, b) => resolveMarks(vocab, ids, rows[b].labels));
  const tokens = forecasts.reduce((n, f) => n + f.length, 0);
  return {
    G,
    B: rows.length,
    F,
    forecasts,
    readable,
    lengths: s.lengths,
    logpOld: s.logp,
    batch,
    tokens,
  };
}
