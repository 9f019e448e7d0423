// Grounding samples as model inputs: each screen encoded once (features.ts) and shared by its
// samples, and the packing of B examples into the model's E-row layout (elements, padding,
// then the "not found" row last).
import type { Vocab } from '../text/vocab';
import type { GrounderConfig, GrounderDims } from './config';
import type { GroundingCategory, GroundingScreen } from './data';
import {
  encodeDescription,
  encodeMatch,
  encodeScreen,
  nullRow,
  screenElements,
  type DescriptionFeatures,
  type ElementFeatures,
} from './features';

export interface GroundingExample {
  screen: ElementFeatures;
  desc: DescriptionFeatures;
  /** (n, MF) the description's overlap with each element (features.ts encodeMatch). */
  match: Float32Array;
  /** Element index, or −1 for "not found". */
  target: number;
  category: GroundingCategory;
  description: string;
  source: string;
  /** `role "text"` per element, for reports of what was chosen. */
  labels: readonly string[];
}

export function encodeGroundingScreen(
  vocab: Vocab,
  cfg: GrounderConfig,
  d: GrounderDims,
  s: GroundingScreen,
): GroundingExample[] {
  const input = {
    width: s.obs.width,
    height: s.obs.height,
    elements: screenElements(s.obs.elements),
  };
  const screen = encodeScreen(vocab, d, cfg.cropSize, input, s.pixels);
  const labels = s.obs.elements.map((e) => `${e.role} ${JSON.stringify(e.text)}`);
  return s.samples.map((x) => ({
    labels,
    screen,
    desc: encodeDescription(vocab, d, x.description),
    match: encodeMatch(d, input, x.description),
    target: x.target,
    category: x.category,
    description: x.description,
    source: s.source,
  }));
}

/** Host arrays of B examples in E rows each (see GrounderInputs); screenOf is fixed. */
export interface GroundingBatch {
  textIds: Int32Array;
  textWeights: Float32Array;
  rowIds: Int32Array;
  rowWeights: Float32Array;
  roleIds: Int32Array;
  feats: Float32Array;
  match: Float32Array;
  crop: Float32Array;
  descIds: Int32Array;
  descWeights: Float32Array;
  mask: Float32Array;
  targets: Int32Array;
}

/** Score added to padding rows, so softmax gives them exactly 0. */
export const PAD_SCORE = -1e9;

/**
 * Packs examples into E rows each: elements 0…n−1 (cut at E−1), padding, the null row at E−1.
 * The target row is the element's index, or E−1 when the target is not on screen.
 */
export function packGrounding(
  vocab: Vocab,
  d: GrounderDims,
  examples: readonly GroundingExample[],
  E: number,
): GroundingBatch {
  const { W, RW, BF, MF, CROP, D } = d;
  const B = examples.length;
  const R = B * E;
  const out: GroundingBatch = {
    textIds: new Int32Array(R * W).fill(vocab.pad),
    textWeights: new Float32Array(R * W),
    rowIds: new Int32Array(R * RW).fill(vocab.pad),
    rowWeights: new Float32Array(R * RW),
    roleIds: new Int32Array(R).fill(vocab.pad),
    feats: new Float32Array(R * BF),
    match: new Float32Array(R * MF),
    crop: new Float32Array(R * CROP),
    descIds: new Int32Array(B * D),
    descWeights: new Float32Array(B * D),
    mask: new Float32Array(B * E),
    targets: new Int32Array(B),
  };
  const nul = nullRow(vocab, d);
  const put = (f: ElementFeatures, from: number, count: number, row: number) => {
    out.textIds.set(f.textIds.subarray(from * W, (from + count) * W), row * W);
    out.textWeights.set(f.textWeights.subarray(from * W, (from + count) * W), row * W);
    out.rowIds.set(f.rowIds.subarray(from * RW, (from + count) * RW), row * RW);
    out.rowWeights.set(f.rowWeights.subarray(from * RW, (from + count) * RW), row * RW);
    out.roleIds.set(f.roleIds.subarray(from, from + count), row);
    out.feats.set(f.feats.subarray(from * BF, (from + count) * BF), row * BF);
    out.crop.set(f.crop.subarray(from * CROP, (from + count) * CROP), row * CROP);
  };
  examples.forEach((x, b) => {
    const n = Math.min(x.screen.n, E - 1);
    put(x.screen, 0, n, b * E);
    out.match.set(x.match.subarray(0, n * MF), b * E * MF);
    put(nul, 0, 1, b * E + E - 1);
    out.mask.fill(PAD_SCORE, b * E + n, b * E + E - 1);
    out.descIds.set(x.desc.ids, b * D);
    out.descWeights.set(x.desc.weights, b * D);
    out.targets[b] = x.target >= 0 && x.target < n ? x.target : E - 1;
  });
  return out;
}
