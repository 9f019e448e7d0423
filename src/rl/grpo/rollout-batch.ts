// The rollout batch of one GRPO update, shared by stage 1 and stage 2: the update's prompts
// cut into minibatches of promptsPerUpdate, each sampled as G forecasts per prompt from one
// random stream, in order, before any gradient step (so every step after the first is
// off-policy and the clipped ratio is real). The stages differ only in how they score it.
import type { Rng } from '../../rng';
import type { Vocab } from '../../text/vocab';
import type { Prompt } from '../data/prompts';
import type { ModelDims } from '../model/config';
import type { SampleSettings, Sampler } from '../model/sample';
import type { TrainSettings } from '../config/schema';
import type { OptimizerSettings } from '../model/planner';
import type { LossNormalisation } from './math';
import { sampleGroups, type Rollout } from './rollout';
import type { GrpoUpdateSettings } from './update';

/** One minibatch of the rollout batch: its prompts and their G forecasts each. */
export interface SampledMinibatch {
  prompts: Prompt[];
  rollout: Rollout;
}

/** Samples every minibatch of `prompts` (promptsPerUpdate prompts each) in order from `rng`. */
export async function sampleRolloutBatch(
  sampler: Sampler,
  vocab: Vocab,
  dims: ModelDims,
  prompts: readonly Prompt[],
  promptsPerUpdate: number,
  G: number,
  sampling: SampleSettings,
  rng: Rng,
): Promise<SampledMinibatch[]> {
  const out: SampledMinibatch[] = [];
  for (let at = 0; at < prompts.length; at += promptsPerUpdate) {
    const chunk = prompts.slice(at, at + promptsPerUpdate);
    const encoded = chunk.map((p) => p.encoded);
    out.push({
      prompts: chunk,
      rollout: await sampleGroups(sampler, vocab, dims, encoded, G, sampling, rng),
    });
  }
  return out;
}

/** The update settings of a GRPO stage, from its training settings. */
export function grpoUpdateSettings(
  settings: TrainSettings,
  normalisation: LossNormalisation,
  optimizer: OptimizerSettings,
): GrpoUpdateSettings {
  const { clipEpsilon, klBeta, innerEpochs } = settings.grpo;
  return {
    clipEps: clipEpsilon,
    beta: klBeta,
    innerEpochs,
    gradClip: settings.optimiser.gradClip,
    normalisation,
    optimizer,
  };
}
