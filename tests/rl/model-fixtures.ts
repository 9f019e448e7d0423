// Shared inputs of the planner tests: a small vocabulary and batches of real observations
// taken along oracle episodes (start and middle of episodes), encoded for a given config.
import { Episode, getTemplate, render, type RefStep } from '../../src/envs';
import { buildVocab, writeForecast, type Vocab } from '../../src/rl/lang';
import { modelDims, type PlannerConfig } from '../../src/rl/model/config';
import {
  encodePrompt,
  packBatch,
  type PlannerBatch,
  type PlannerExample,
} from '../../src/rl/model/encode';

export const TEMPLATE_IDS = ['settings.wifi', 'settings.brightness'];

let vocab: Vocab | null = null;

/** The vocabulary of two settings templates (about 350 tokens): quick to build. */
export function testVocab(): Vocab {
  vocab ??= buildVocab({
    templates: TEMPLATE_IDS.map((id) => getTemplate(id)),
    instructionSeeds: 4,
    episodeSeeds: 2,
  });
  return vocab;
}

/** B examples: episode seeds from `seed`, prompts at step (b mod 3) of each oracle episode. */
export function worldExamples(config: PlannerConfig, B: number, seed = 0): PlannerExample[] {
  const v = testVocab();
  const d = modelDims(config, v.size);
  const out: PlannerExample[] = [];
  for (let b = 0; b < B; b++) {
    const ep = new Episode(getTemplate(TEMPLATE_IDS[b % TEMPLATE_IDS.length]), seed + b);
    let obs = ep.reset();
    const refs = ep.oracle().steps;
    const executed: RefStep[] = [];
    const at = Math.min(b % 3, refs.length - 1);
    for (let i = 0; i < at; i++) {
      obs = ep.step(refs[i].action).obs;
      executed.push(refs[i]);
    }
    const prompt = encodePrompt(v, config, d, {
      obs,
      pixels: render(obs).pixels,
      instruction: ep.instruction,
      executed,
    });
    out.push({ prompt, forecast: writeForecast(v, refs.slice(at), config.horizon).ids });
  }
  return out;
}

export function worldBatch(config: PlannerConfig, B: number, seed = 0): PlannerBatch {
  const v = testVocab();
  return packBatch(modelDims(config, v.size), v, worldExamples(config, B, seed));
}
