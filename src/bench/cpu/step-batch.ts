// The batch the planner-step rows train on: one SFT batch of B as stage 0 draws it for a
// settings preset (targets on the forecast rows only), with the shape it implies.
import { plannerConfigOf, validateSettings } from '../../rl/config/schema';
import { PromptSource } from '../../rl/data/prompts';
import { modelDims, type ModelDims, type PlannerConfig } from '../../rl/model/config';
import { packBatch, type PlannerBatch } from '../../rl/model/encode';
import type { Vocab } from '../../text/vocab';
import { Rng } from '../../rng';

export interface StepProblem {
  config: PlannerConfig;
  dims: ModelDims;
  batch: PlannerBatch;
}

/** The planner-step problem of a settings preset, seeded (the same batch every run). */
export function stepProblem(preset: string, vocab: Vocab, B: number): StepProblem {
  const settings = validateSettings({ preset });
  const config = plannerConfigOf(settings);
  const dims = modelDims(config, vocab.size);
  const source = new PromptSource(settings.data, vocab, config);
  const examples = PromptSource.examples(source.sampleFitting(new Rng(1), B));
  return { config, dims, batch: packBatch(dims, vocab, examples) };
}
