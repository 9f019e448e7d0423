// The grounder's shape: every size its features, its parameters and its ONNX graph depend on,
// in one plain object that travels inside the exported model (metadata), so the runner
// encodes a screen exactly as training did.
import { BOX_FEATURE_NAMES } from '../envs/element-features';

export interface GrounderConfig {
  /** Width of every element and query vector. */
  C: number;
  /** Text tokens per element averaged into its embedding (longer texts are cut). */
  textTokens: number;
  /** Tokens of the element's row-mates' text (the row context), averaged. */
  rowTokens: number;
  /** Tokens of the description, averaged. */
  descTokens: number;
  /** Pixel crop of each element: cropSize × cropSize × 3. */
  cropSize: number;
  /** Hidden width of the crop MLP. */
  cropHidden: number;
  /** Hidden width of the box/state MLP. */
  boxHidden: number;
  /** Hidden width of the scoring MLP. */
  scoreHidden: number;
}

export const GROUNDER_CONFIG: GrounderConfig = {
  C: 48,
  textTokens: 6,
  rowTokens: 10,
  descTokens: 16,
  cropSize: 8,
  cropHidden: 64,
  boxHidden: 32,
  scoreHidden: 48,
};

/**
 * Per-element features after the planner's box/state ones: how the element ranks among
 * elements with the same role and text (so "the second Delete button" has something to match).
 */
export const RANK_FEATURE_NAMES = ['dup', 'rank0', 'rank1', 'rank2', 'rank3+'] as const;

/** Features of the "not found" row the graph appends after the elements (see model.ts). */
export const NULL_FEATURE_NAMES = ['isNull'] as const;

/**
 * Per-element features that depend on the description: plain lexical overlap, computed on the
 * host from what is on screen and the description (features.ts encodeMatch). They carry words
 * the embeddings never saw in training (new apps, new names) by spelling alone.
 */
export const MATCH_FEATURE_NAMES = [
  'textQuoted',
  'textOverlap',
  'rowQuoted',
  'rowOverlap',
] as const;

export const FEATURE_NAMES = [
  ...BOX_FEATURE_NAMES,
  ...RANK_FEATURE_NAMES,
  ...NULL_FEATURE_NAMES,
] as const;

/** Sizes that follow from a config and the vocabulary size V. */
export interface GrounderDims {
  C: number;
  V: number;
  W: number;
  RW: number;
  D: number;
  /** Box, state, rank and null features per row. */
  BF: number;
  /** Match features per row. */
  MF: number;
  BH: number;
  CROP: number;
  CH: number;
  SH: number;
}

export function grounderDims(c: GrounderConfig, V: number): GrounderDims {
  for (const [k, v] of Object.entries(c)) {
    if (!Number.isInteger(v) || v < 1)
      throw new Error(`grounder config: ${k} must be a positive integer, got ${String(v)}`);
  }
  return {
    C: c.C,
    V,
    W: c.textTokens,
    RW: c.rowTokens,
    D: c.descTokens,
    BF: FEATURE_NAMES.length,
    MF: MATCH_FEATURE_NAMES.length,
    BH: c.boxHidden,
    CROP: c.cropSize * c.cropSize * 3,
    CH: c.cropHidden,
    SH: c.scoreHidden,
  };
}
