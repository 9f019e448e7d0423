// The observation encoder's CPU half: turns what the planner sees (element list, rendered
// screenshot, instruction, history) and, for training, the reference forecast into the host
// arrays of one batch. Deterministic: the same inputs give the same bytes. The model's
// forward (forward.ts) turns the element arrays into element tokens with Backend ops, so
// gradients reach every part of the element embedding.
//
// Prompt (exactly P positions; see config.ts):
//   [BOS]  e_1 [words_1] … e_n [words_n]  instruction  history  <pad>…  [SEP]
// Element position i holds its role token (the role embedding is that row of wte) and a slot
// into the element table, whose row adds: mean of the element's text-token embeddings +
// MLP(box, state flags) + a linear projection of its pixel crop. The n ≤ E elements are the
// most relevant ones (src/envs/relevance.ts: every element a step can act on comes before any
// static text), shown in reading order. Then the instruction (cut to fit) and the most recent
// history; what room is left gives the most relevant elements their label as up to
// `elementWords` tokens of their own right after the element, so the decoder can attend to a
// label and copy it into a step description (the LM head is the token embedding, transposed).
// Labels are copied whole by their marks (src/text/marks.ts): element slot e's row also adds
// the embedding of mark e+1 (the last text column, weight 1), each number of the instruction
// is written after a mark of its own (`Compute ( <m:9> 38 + <m:10> 53 )`), and each tool
// result as `| tool -> <m:k> result`, so writing one mark token names a label of any length.
// With `instructionPhrases` > 0 the instruction's quoted text, e-mail addresses and names get
// marks too (`Delete the email from <m:9> Grace about '<m:10> Invoice 71'`), and an element
// whose label contains such a phrase also adds that phrase's mark (one more text column), so
// the element an instruction names shares a token with it.
// Labels: the shown elements' texts, the instruction's phrases and numbers, then tool results.
import type { RefStep } from '../../envs/oracle';
import { boxFeatures, cropPixels, elementText } from '../../envs/element-features';
import type { Element, Observation } from '../../envs/types';
import { rankByRelevance } from '../../envs/relevance';
import { historyIds } from '../lang/action-language';
import type { Vocab } from '../../text/vocab';
import { MAX_RESULT_CHARS } from '../../text/marks';
import { instructionPhrases, linkedPhrase } from '../../text/phrases';
import type { ModelDims, PlannerConfig } from './config';

/** What the planner sees at one step. */
export interface PromptInput {
  obs: Observation;
  /** RGB row-major pixels of `obs` rendered (render(obs).pixels). */
  pixels: Uint8Array;
  instruction: string;
  /** Steps executed so far in this episode (the last k go into the prompt). */
  executed: readonly RefStep[];
  /** Tool prompts: the results of the calls made so far, written after the instruction. */
  results?: readonly ToolResultLine[];
}

/** One call's outcome as a tool prompt shows it: `| tool -> text`. */
export interface ToolResultLine {
  tool: string;
  text: string;
}

/** Element inputs of one prompt: E rows, unused rows zero. */
export interface ElementRows {
  /**
   * (E, W) text token ids, <pad> past the text; column elementTextTokens holds the element's
   * mark, and the one after it (with instruction phrases) the mark of the phrase it contains.
   */
  textIds: Int32Array;
  /** (E, W) 1/len over the text tokens, 1 on each mark, 0 elsewhere: a weighted sum. */
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
  /** Their ids in the observation (Element.id), in slot order. */
  shownIds: number[];
  /** Label k−1 is what mark k stands for: the shown elements' texts, then the tool results. */
  labels: string[];
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
  /** Forecasts longer than F, cut to fit (SFT draws only fitting ones, so 0 there). */
  truncated: number;
}

// An element's box features, pixel crop and text: envs/element-features.ts (the grounder's too).

/** Which elements a prompt encodes and what fills the rest of it (see the file comment). */
export interface PromptLayout {
  /** Encoded elements in slot (reading) order. */
  shown: Element[];
  /** Words written after an element, for the elements that got room. */
  words: Map<Element, number[]>;
  instruction: number[];
  /** The labels the instruction part marks (its phrases and numbers, then the tool results). */
  instructionLabels: string[];
  /** Per shown element: the label index of the instruction phrase it contains, else −1. */
  links: number[];
  history: number[];
}

export function promptLayout(
  vocab: Vocab,
  config: PlannerConfig,
  d: ModelDims,
  input: Omit<PromptInput, 'pixels'>,
): PromptLayout {
  const room = d.P - 2;
  const { obs } = input;
  // The E most relevant elements (room permitting), shown in reading order.
  const historyText = input.executed
    .slice(-Math.max(1, config.historySteps))
    .map((r) => r.target ?? '')
    .join(' ');
  const ranked = rankByRelevance(obs.elements, `${input.instruction} ${historyText}`);
  const kept = ranked.slice(0, Math.min(d.E, room));
  const order = new Map(obs.elements.map((el, i) => [el, i]));
  const shown = [...kept].sort((a, b) => order.get(a)! - order.get(b)!);
  // Room left after the element tokens: the instruction, then the most recent history, then
  // each element's words, most relevant element first.
  let left = room - shown.length;
  const marked = instructionIds(vocab, config, input, shown.length);
  const instruction = marked.ids.slice(0, left);
  left -= instruction.length;
  const fullHistory = historyIds(vocab, input.executed, config.historySteps);
  const history = left > 0 ? fullHistory.slice(Math.max(0, fullHistory.length - left)) : [];
  left -= history.length;
  const words = new Map<Element, number[]>();
  for (const el of kept) {
    if (left <= 0 || config.elementWords === 0) break;
    const w = vocab.encodeText(el.text).slice(0, Math.min(config.elementWords, left));
    words.set(el, w);
    left -= w.length;
  }
  const links = shown.map((el) => {
    const k = linkedPhrase(el.text, marked.phrases);
    return k < 0 ? -1 : shown.length + marked.phrases[k].label;
  });
  return { shown, words, instruction, instructionLabels: marked.labels, links, history };
}

/** A number as the instruction writes it: digits, with a decimal part. */
const NUMBER = /\d+(?:\.\d+)?/g;

/** What the instruction part writes and marks. */
interface MarkedInstruction {
  ids: number[];
  /** The labels it marks, in order. */
  labels: string[];
  /** The phrases among them (config.instructionPhrases), with the index of their label. */
  phrases: { text: string; label: number }[];
}

/**
 * The instruction with a mark before each of its first `config.instructionPhrases` phrases
 * (src/text/phrases.ts) and each number outside them, then each tool result after its mark;
 * marks are numbered after the shown elements', in the order written.
 */
function instructionIds(
  vocab: Vocab,
  config: PlannerConfig,
  input: Omit<PromptInput, 'pixels'>,
  elementCount: number,
): MarkedInstruction {
  const out: MarkedInstruction = { ids: [], labels: [], phrases: [] };
  const withMark = (label: string) => {
    const mark = vocab.mark(elementCount + out.labels.length + 1);
    out.labels.push(label);
    if (mark !== undefined) out.ids.push(mark);
    out.ids.push(...vocab.encodeText(label));
  };
  const text = input.instruction;
  const phrases = instructionPhrases(text, config.instructionPhrases);
  const numbers = [...text.matchAll(NUMBER)]
    .map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }))
    .filter((n) => phrases.every((p) => n.end <= p.start || n.start >= p.end));
  const spans = [
    ...phrases.map((p) => ({ ...p, phrase: true })),
    ...numbers.map((n) => ({ ...n, phrase: false })),
  ].sort((a, b) => a.start - b.start);
  let from = 0;
  for (const span of spans) {
    out.ids.push(...vocab.encodeText(text.slice(from, span.start)));
    if (span.phrase) out.phrases.push({ text: span.text, label: out.labels.length });
    withMark(span.text);
    from = span.end;
  }
  out.ids.push(...vocab.encodeText(text.slice(from)));
  for (const r of input.results ?? []) {
    out.ids.push(...vocab.encodeText(` | ${r.tool} -> `));
    withMark(r.text.slice(0, MAX_RESULT_CHARS));
  }
  return out;
}

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
  const { shown, words, instruction, instructionLabels, links, history } = promptLayout(
    vocab,
    config,
    d,
    input,
  );
  const elements: ElementRows = {
    textIds: new Int32Array(E * W).fill(vocab.pad),
    textWeights: new Float32Array(E * W),
    box: new Float32Array(E * BF),
    crop: new Float32Array(E * CROP),
  };
  shown.forEach((el, e) => {
    const text = vocab.encodeText(elementText(el)).slice(0, config.elementTextTokens);
    text.forEach((id, i) => {
      elements.textIds[e * W + i] = id;
      elements.textWeights[e * W + i] = 1 / text.length;
    });
    const mark = vocab.mark(e + 1);
    if (mark !== undefined) {
      elements.textIds[e * W + config.elementTextTokens] = mark;
      elements.textWeights[e * W + config.elementTextTokens] = 1;
    }
    // The mark of the instruction phrase its label contains: the decoder finds the element
    // an instruction names by the token they share.
    const linked = links[e] < 0 ? undefined : vocab.mark(links[e] + 1);
    if (linked !== undefined) {
      elements.textIds[e * W + W - 1] = linked;
      elements.textWeights[e * W + W - 1] = 1;
    }
    elements.box.set(boxFeatures(el, obs.width, obs.height), e * BF);
    const crop = elements.crop.subarray(e * CROP, (e + 1) * CROP);
    cropPixels(pixels, obs.width, obs.height, el.box, config.cropSize, crop);
  });

  const ids = new Int32Array(P).fill(vocab.pad);
  const slots = new Int32Array(P).fill(-1);
  ids[0] = vocab.bos;
  let at = 1;
  shown.forEach((el, e) => {
    ids[at] = vocab.role(el.role);
    slots[at++] = e;
    for (const id of words.get(el) ?? []) ids[at++] = id;
  });
  for (const id of [...instruction, ...history]) ids[at++] = id;
  ids[P - 1] = vocab.sep;
  const labels = [...shown.map((el) => el.text), ...instructionLabels];
  return {
    ids,
    slots,
    elements,
    elementCount: shown.length,
    shownIds: shown.map((el) => el.id),
    labels,
  };
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
    truncated: 0,
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
    if (forecast.length > F) batch.truncated++;
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
