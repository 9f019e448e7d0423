// The observation encoder's CPU half: turns what the planner sees (element list, rendered
// screenshot, instruction, history) and, for training, the reference forecast into the host
// arrays of one batch. Deterministic: the same inputs give the same bytes. The model's
// forward (forward.ts) turns the element arrays into element tokens with Backend ops, so
// gradients reach every part of the element embedding.
//
// Prompt (exactly P positions; see config.ts):
//   [BOS]  e_1 … e_n  instruction  history  <pad>…  [SEP]
// Element position i holds its role token (the role embedding is that row of wte) and a slot
// into the element table, whose row adds: mean of the element's text-token embeddings +
// MLP(box, state flags) + a linear projection of its pixel crop. n ≤ E; the instruction is
// cut to fit, then the history keeps its most recent tokens.
import type { RefStep } from '../../envs/oracle';
import { boxFeatures, cropPixels, elementText } from '../../envs/element-features';
import type { Observation } from '../../envs/types';
import { historyIds } from '../lang/action-language';
import type { Vocab } from '../lang/vocab';
import type { ModelDims, PlannerConfig } from './config';

/** What the planner sees at one step. */
export interface PromptInput {
  obs: Observation;
  /** RGB row-major pixels of `obs` rendered (render(obs).pixels). */
  pixels: Uint8Array;
  instruction: string;
  /** Steps executed so far in this episode (the last k go into the prompt). */
  executed: readonly RefStep[];
}

/** Element inputs of one prompt: E rows, unused rows zero. */
export interface ElementRows {
  /** (E, W) text token ids, <pad> past the text. */
  textIds: Int32Array;
  /** (E, W) 1/len over the text tokens, 0 elsewhere: the mean as a weighted sum. */
  textWeights: Float32Array;
  /** (E, BF) box and state features. */
  box: Float32Array;
  /** (E, CROP) pixel crop in [0, 1]. */
  crop: Float32Array;
}

export interface EncodedPrompt {
  /** (P) token ids. */
  ids: Int32Array;
  /** (P) element slot 0..E−1 at element positions, −1 elsewhere. */
  slots: Int32Array;
  elements: ElementRows;
  /** Elements encoded (n ≤ E). */
  elementCount: number;
}

/** A training example: a prompt and the forecast it should produce (ids end with <eos>). */
export interface PlannerExample {
  prompt: EncodedPrompt;
  forecast: readonly number[];
}

/** Host arrays of one batch of B sequences, laid out as the model's input tensors. */
export interface PlannerBatch {
  /** (B, T) input ids. */
  tokens: Int32Array;
  /** (B, T) next-token targets; −1 where no loss is taken (the prompt, after <eos>). */
  targets: Int32Array;
  /** (B, T) row of the element table: b·E + e at element positions, else B·E (a zero row). */
  slots: Int32Array;
  /** (B·E, W), (B·E, W), (B·E, BF), (B·E, CROP): the prompts' element rows, stacked. */
  textIds: Int32Array;
  textWeights: Float32Array;
  box: Float32Array;
  crop: Float32Array;
  /** Targets that are not −1 (the SFT loss is their mean). */
  validTargets: number;
}

// An element's box features, pixel crop and text: envs/element-features.ts (the grounder's too).

export function encodePrompt(
  vocab: Vocab,
  config: PlannerConfig,
  d: ModelDims,
  input: PromptInput,
): EncodedPrompt {
  const { P, E, W, BF, CROP } = d;
  const { obs, pixels } = input;
  if (pixels.length !== obs.width * obs.height * 3) {
    throw new Error(
      `encodePrompt: pixels hold ${pixels.length} bytes, expected ${obs.width}×${obs.height}×3`,
    );
  }
  const elements: ElementRows = {
    textIds: new Int32Array(E * W).fill(vocab.pad),
    textWeights: new Float32Array(E * W),
    box: new Float32Array(E * BF),
    crop: new Float32Array(E * CROP),
  };
  const shown = obs.elements.slice(0, E);
  shown.forEach((el, e) => {
    const text = vocab.encodeText(elementText(el)).slice(0, W);
    text.forEach((id, i) => {
      elements.textIds[e * W + i] = id;
      elements.textWeights[e * W + i] = 1 / text.length;
    });
    elements.box.set(boxFeatures(el, obs.width, obs.height), e * BF);
    const crop = elements.crop.subarray(e * CROP, (e + 1) * CROP);
    cropPixels(pixels, obs.width, obs.height, el.box, config.cropSize, crop);
  });

  const ids = new Int32Array(P).fill(vocab.pad);
  const slots = new Int32Array(P).fill(-1);
  ids[0] = vocab.bos;
  shown.forEach((el, e) => {
    ids[1 + e] = vocab.role(el.role);
    slots[1 + e] = e;
  });
  ids[P - 1] = vocab.sep;
  let room = P - 2 - shown.length;
  const instruction = vocab.encodeText(input.instruction).slice(0, room);
  room -= instruction.length;
  const history = historyIds(vocab, input.executed, config.historySteps);
  const recent = room > 0 ? history.slice(Math.max(0, history.length - room)) : [];
  ids.set([...instruction, ...recent], 1 + shown.length);
  return { ids, slots, elements, elementCount: shown.length };
}

/** Packs exactly B examples (forecasts cut to F tokens) into one batch. */
export function packBatch(
  d: ModelDims,
  vocab: Vocab,
  examples: readonly PlannerExample[],
): PlannerBatch {
  const { P, F, T, E, W, BF, CROP } = d;
  const B = examples.length;
  const batch: PlannerBatch = {
    tokens: new Int32Array(B * T).fill(vocab.pad),
    targets: new Int32Array(B * T).fill(-1),
    slots: new Int32Array(B * T).fill(B * E),
    textIds: new Int32Array(B * E * W),
    textWeights: new Float32Array(B * E * W),
    box: new Float32Array(B * E * BF),
    crop: new Float32Array(B * E * CROP),
    validTargets: 0,
  };
  examples.forEach(({ prompt, forecast }, b) => {
    if (prompt.ids.length !== P) {
      throw new Error(
        `packBatch: example ${b} has a prompt of ${prompt.ids.length}, expected P=${P}`,
      );
    }
    const row = b * T;
    batch.tokens.set(prompt.ids, row);
    prompt.slots.forEach((s, t) => {
      if (s >= 0) batch.slots[row + t] = b * E + s;
    });
    const f = forecast.slice(0, F);
    // Position P−1+j predicts forecast[j]; position P+j holds forecast[j] as input.
    f.forEach((id, j) => {
      batch.targets[row + P - 1 + j] = id;
      if (P + j < T) batch.tokens[row + P + j] = id;
    });
    batch.validTargets += f.length;
    batch.textIds.set(prompt.elements.textIds, b * E * W);
    batch.textWeights.set(prompt.elements.textWeights, b * E * W);
    batch.box.set(prompt.elements.box, b * E * BF);
    batch.crop.set(prompt.elements.crop, b * E * CROP);
  });
  return batch;
}
