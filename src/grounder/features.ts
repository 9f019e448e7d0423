// What the grounder sees, as host arrays: the screen's elements (text, row context, role,
// box/state/rank features, pixel crop) and the description's tokens. Only what is on screen:
// the element list without its internal keys, the rendered pixels and the description text.
// The same function feeds training, our own forward and the ONNX runner, so they cannot drift.
import { boxFeatures, cropPixels, elementText } from '../envs/element-features';
import type { Vocab } from '../text/vocab';
import type { Element } from '../envs/types';
import { FEATURE_NAMES, type GrounderDims } from './config';

/** An element as the grounder may see it: everything an agent sees, never the app's key. */
export type ScreenElement = Omit<Element, 'key'>;

export interface ScreenInput {
  width: number;
  height: number;
  elements: readonly ScreenElement[];
}

/** Per-element inputs of one screen, n rows each (the "not found" row is not included). */
export interface ElementFeatures {
  n: number;
  /** (n, W) text token ids, <pad> past the text; weights 1/len over the text, else 0. */
  textIds: Int32Array;
  textWeights: Float32Array;
  /** (n, RW) the row-mates' text, the same way. */
  rowIds: Int32Array;
  rowWeights: Float32Array;
  /** (n) the vocabulary's role token. */
  roleIds: Int32Array;
  /** (n, BF) FEATURE_NAMES. */
  feats: Float32Array;
  /** (n, CROP) in [0, 1]. */
  crop: Float32Array;
}

export interface DescriptionFeatures {
  /** (D) token ids, <pad> past the text; weights 1/len over the text, else 0. */
  ids: Int32Array;
  weights: Float32Array;
}

/** Rows taller than this (windows, dialogs, text areas) have no row-mates. */
const ROW_MAX_H = 32;

/** Drops the app's key (and anything else not on screen) from an element list. */
export function screenElements(elements: readonly Element[]): ScreenElement[] {
  return elements.map((e) => {
    const { key: _key, ...visible } = e;
    void _key;
    return visible;
  });
}

function bagOfTokens(
  vocab: Vocab,
  text: string,
  width: number,
  ids: Int32Array,
  weights: Float32Array,
  at: number,
): void {
  const tokens = vocab.encodeText(text).slice(0, width);
  tokens.forEach((id, i) => {
    ids[at + i] = id;
    weights[at + i] = 1 / tokens.length;
  });
}

/** Elements sharing a horizontal band with element i (each one's centre inside the other's rows). */
function rowMates(elements: readonly ScreenElement[], i: number): ScreenElement[] {
  const a = elements[i];
  if (a.box.h > ROW_MAX_H) return [];
  const inRows = (y: number, b: ScreenElement) => y >= b.box.y && y < b.box.y + b.box.h;
  return elements.filter((b, j) => {
    if (j === i || b.box.h > ROW_MAX_H) return false;
    return inRows(b.box.y + b.box.h / 2, a) || inRows(a.box.y + a.box.h / 2, b);
  });
}

export function encodeScreen(
  vocab: Vocab,
  d: GrounderDims,
  cropSize: number,
  screen: ScreenInput,
  pixels: Uint8Array,
): ElementFeatures {
  const { W, RW, BF, CROP } = d;
  const { width, height, elements } = screen;
  if (pixels.length !== width * height * 3)
    throw new Error(
      `grounder: pixels hold ${pixels.length} bytes, expected ${width}×${height}×3 = ${width * height * 3}`,
    );
  const n = elements.length;
  const f: ElementFeatures = {
    n,
    textIds: new Int32Array(n * W).fill(vocab.pad),
    textWeights: new Float32Array(n * W),
    rowIds: new Int32Array(n * RW).fill(vocab.pad),
    rowWeights: new Float32Array(n * RW),
    roleIds: new Int32Array(n),
    feats: new Float32Array(n * BF),
    crop: new Float32Array(n * CROP),
  };
  const seen = new Map<string, number>();
  const dupCount = new Map<string, number>();
  for (const e of elements) {
    const k = `${e.role}\u0000${e.text}`;
    dupCount.set(k, (dupCount.get(k) ?? 0) + 1);
  }
  elements.forEach((e, i) => {
    bagOfTokens(vocab, elementText({ ...e, key: '' }), W, f.textIds, f.textWeights, i * W);
    const row = rowMates(elements, i)
      .map((m) => m.text)
      .filter(Boolean)
      .join(' ');
    bagOfTokens(vocab, row, RW, f.rowIds, f.rowWeights, i * RW);
    f.roleIds[i] = vocab.role(e.role);
    const k = `${e.role}\u0000${e.text}`;
    const rank = seen.get(k) ?? 0;
    seen.set(k, rank + 1);
    const dup = (dupCount.get(k) ?? 1) > 1 ? 1 : 0;
    const feats = [
      ...boxFeatures({ ...e, key: '' }, width, height),
      dup,
      dup && rank === 0 ? 1 : 0,
      dup && rank === 1 ? 1 : 0,
      dup && rank === 2 ? 1 : 0,
      dup && rank >= 3 ? 1 : 0,
      0,
    ];
    if (feats.length !== BF) throw new Error('grounder: features out of step with FEATURE_NAMES');
    f.feats.set(feats, i * BF);
    cropPixels(pixels, width, height, e.box, cropSize, f.crop.subarray(i * CROP, (i + 1) * CROP));
  });
  return f;
}

export function encodeDescription(
  vocab: Vocab,
  d: GrounderDims,
  description: string,
): DescriptionFeatures {
  const out = { ids: new Int32Array(d.D).fill(vocab.pad), weights: new Float32Array(d.D) };
  bagOfTokens(vocab, description, d.D, out.ids, out.weights, 0);
  return out;
}

/** Lower-case content words and single characters of a text (what overlap counts). */
function words(text: string): string[] {
  return (text.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? []).filter((w) => w !== 'the');
}

/**
 * (n, MF) MATCH_FEATURE_NAMES per element: its own text appears in the description; the share
 * of its words the description uses; a row-mate's text appears in the description; the share
 * of the description's words found among the row-mates' words.
 */
export function encodeMatch(
  d: GrounderDims,
  screen: ScreenInput,
  description: string,
): Float32Array {
  const { elements } = screen;
  const out = new Float32Array(elements.length * d.MF);
  const desc = description.toLowerCase();
  const descWords = words(description);
  const descSet = new Set(descWords);
  const quoted = (t: string) => t.trim().length >= 2 && desc.includes(t.trim().toLowerCase());
  elements.forEach((e, i) => {
    const own = words(e.text);
    const mates = rowMates(elements, i);
    const mateWords = new Set(mates.flatMap((m) => words(m.text)));
    out[i * d.MF] = quoted(e.text) ? 1 : 0;
    out[i * d.MF + 1] = own.length ? own.filter((w) => descSet.has(w)).length / own.length : 0;
    out[i * d.MF + 2] = mates.some((m) => quoted(m.text)) ? 1 : 0;
    out[i * d.MF + 3] = descWords.length
      ? descWords.filter((w) => mateWords.has(w)).length / descWords.length
      : 0;
  });
  return out;
}

/** The "not found" row's inputs: no text, the <sep> token as its role, only isNull set. */
export function nullRow(vocab: Vocab, d: GrounderDims): ElementFeatures {
  const f: ElementFeatures = {
    n: 1,
    textIds: new Int32Array(d.W).fill(vocab.pad),
    textWeights: new Float32Array(d.W),
    rowIds: new Int32Array(d.RW).fill(vocab.pad),
    rowWeights: new Float32Array(d.RW),
    roleIds: new Int32Array([vocab.sep]),
    feats: new Float32Array(d.BF),
    crop: new Float32Array(d.CROP),
  };
  f.feats[FEATURE_NAMES.indexOf('isNull')] = 1;
  return f;
}
