// The planner's shape: every size the model, the encoder and the sampler depend on, in one
// plain object that is saved inside every checkpoint. Presets: 'tiny' (tests, CPU-fast),
// 'small' (the default), 'base'. validateConfig names the field that is wrong.
//
// Sequence layout (T = P + F − 1 positions, so the last forecast token is only a target):
//   [BOS] (element [words])×≤E  instruction  history  <pad>…  [SEP] │ forecast (≤ F, ends <eos>)
//   └────────────────────── prompt: exactly P positions ──────────┘
// Padding sits before SEP, so the SEP at position P−1 always predicts the first forecast
// token and every sequence in a batch decodes from the same position. The prompt attends
// bidirectionally (prefix mask, prefixLen = P); the forecast is causal.

import { BOX_FEATURE_NAMES } from '../../envs/element-features';

export interface PlannerConfig {
  /** Transformer blocks. */
  L: number;
  /** Width (channels). */
  C: number;
  /** Attention heads; C must be divisible by NH. */
  NH: number;
  /** MLP hidden width = mlpRatio · C. */
  mlpRatio: number;
  /** Prompt length P: every prompt is padded (or cut) to exactly P tokens. */
  promptLen: number;
  /** Forecast token budget F, including the final <eos> (forecastBudget(horizon) in presets). */
  forecastTokens: number;
  /** Forecast horizon H: most steps in one forecast. */
  horizon: number;
  /** Pixel crop of each element: cropSize × cropSize × 3, from the rendered screen. */
  cropSize: number;
  /** Most UI elements encoded (the E most relevant, shown in reading order; see encode.ts). */
  maxElements: number;
  /** Text tokens per element averaged into its embedding (longer texts are cut). */
  elementTextTokens: number;
  /**
   * Text tokens per element also written into the prompt as tokens of their own, after the
   * element's token, so the decoder can attend to a label and copy it (the head is tied to
   * the token embedding); given to the most relevant elements while the prompt has room.
   */
  elementWords: number;
  /**
   * Most phrases of the instruction (quoted text, e-mail addresses, names) given a mark of
   * their own, and linked to the elements whose labels contain them (encode.ts); 0: only
   * its numbers are marked.
   */
  instructionPhrases: number;
  /** History: the last k executed steps. */
  historySteps: number;
  /** Hidden width of the element box/state MLP. */
  boxHidden: number;
}

export type PresetName = 'tiny' | 'small' | 'base';

/** The horizons of the ablation (the paper's T ≈ 10 and either side of it). */
export const ABLATION_HORIZONS = [1, 3, 4, 5, 10, 15] as const;

/**
 * The forecast token budget F for horizon H, <eos> included: large enough that at least 99 % of
 * the H-step reference forecasts of the training suites fit (measured with the shipped
 * vocabulary by `npm run world -- coverage`; tests/rl/coverage.test.ts keeps it true for every
 * H the ablation uses). A step costs up to about 20 tokens (descriptions, tool calls and answers
 * are spelt in words, digits and characters); past five steps most forecasts reach the task's
 * end, so later steps cost less.
 */
export function forecastBudget(H: number): number {
  if (!Number.isInteger(H) || H < 1) throw new ConfigError('horizon', `must be ≥ 1, got ${H}`);
  return 8 + 20 * Math.min(H, 5) + 11 * Math.max(0, H - 5);
}

// 'tiny' is the unit tests' shape: too short a prompt to see every element of a dense screen
// (the 'quick-demo' settings preset widens it to see all of them; see schema.ts).
export const PRESETS: Record<PresetName, PlannerConfig> = {
  tiny: {
    L: 2,
    C: 32,
    NH: 2,
    mlpRatio: 2,
    promptLen: 40,
    forecastTokens: forecastBudget(3),
    horizon: 3,
    cropSize: 4,
    maxElements: 12,
    elementTextTokens: 4,
    elementWords: 2,
    instructionPhrases: 0,
    historySteps: 1,
    boxHidden: 16,
  },
  small: {
    L: 4,
    C: 128,
    NH: 4,
    mlpRatio: 4,
    promptLen: 128,
    forecastTokens: forecastBudget(5),
    horizon: 5,
    cropSize: 8,
    maxElements: 44,
    elementTextTokens: 6,
    elementWords: 4,
    instructionPhrases: 6,
    historySteps: 2,
    boxHidden: 32,
  },
  base: {
    L: 6,
    C: 256,
    NH: 8,
    mlpRatio: 4,
    promptLen: 192,
    forecastTokens: forecastBudget(10),
    horizon: 10,
    cropSize: 8,
    maxElements: 48,
    elementTextTokens: 8,
    elementWords: 6,
    instructionPhrases: 6,
    historySteps: 3,
    boxHidden: 64,
  },
};

export const DEFAULT_PRESET: PresetName = 'small';

/** Sizes that follow from a config (and the vocabulary size V). */
export interface ModelDims {
  L: number;
  C: number;
  NH: number;
  /** Head size C / NH. */
  HS: number;
  /** MLP hidden width. */
  FC: number;
  V: number;
  P: number;
  F: number;
  /** Sequence positions: P + F − 1. */
  T: number;
  E: number;
  /** Text tokens per element. */
  W: number;
  /** Element box/state feature count (envs/element-features.ts). */
  BF: number;
  /** Box MLP hidden width. */
  BH: number;
  /** Crop values per element: cropSize² · 3. */
  CROP: number;
}

export class ConfigError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`planner config: ${field} ${message}`);
    this.name = 'ConfigError';
  }
}

const FIELDS: (keyof PlannerConfig)[] = [
  'L',
  'C',
  'NH',
  'mlpRatio',
  'promptLen',
  'forecastTokens',
  'horizon',
  'cropSize',
  'maxElements',
  'elementTextTokens',
  'elementWords',
  'instructionPhrases',
  'historySteps',
  'boxHidden',
];

/** Fields that configs saved before them lack, and the value that reads them as they were. */
const ADDED_LATER: Partial<Record<keyof PlannerConfig, number>> = {
  elementWords: 0,
  instructionPhrases: 0,
};

/** Throws a ConfigError naming the first bad field; returns a clean copy (known fields only). */
export function validateConfig(config: unknown): PlannerConfig {
  if (!config || typeof config !== 'object') throw new ConfigError('(root)', 'must be an object');
  const c = config as Record<string, unknown>;
  for (const key of Object.keys(c)) {
    if (!(FIELDS as string[]).includes(key)) throw new ConfigError(key, 'is not a config field');
  }
  const out = {} as PlannerConfig;
  for (const f of FIELDS) {
    const v = c[f] === undefined && f in ADDED_LATER ? ADDED_LATER[f] : c[f];
    const min = f === 'historySteps' || f in ADDED_LATER ? 0 : 1;
    if (typeof v !== 'number' || !Number.isInteger(v) || v < min) {
      throw new ConfigError(f, `must be an integer ≥ ${min}, got ${JSON.stringify(v)}`);
    }
    out[f] = v;
  }
  if (out.C % out.NH !== 0) {
    throw new ConfigError('C', `(${out.C}) must be divisible by NH (${out.NH})`);
  }
  // BOS, SEP and at least one element or instruction token.
  if (out.promptLen < 3) throw new ConfigError('promptLen', `must be ≥ 3, got ${out.promptLen}`);
  if (out.maxElements > out.promptLen - 2) {
    throw new ConfigError(
      'maxElements',
      `(${out.maxElements}) must leave room for BOS and SEP in promptLen (${out.promptLen})`,
    );
  }
  // The shortest forecast is one step of two tokens (type and status) plus <eos>.
  if (out.forecastTokens < 3) {
    throw new ConfigError('forecastTokens', `must be ≥ 3, got ${out.forecastTokens}`);
  }
  return out;
}

/** A preset by name, or throws naming the choices. */
export function preset(name: string): PlannerConfig {
  if (!(name in PRESETS)) {
    throw new ConfigError('preset', `'${name}' is not one of ${Object.keys(PRESETS).join(', ')}`);
  }
  return { ...PRESETS[name as PresetName] };
}

export function modelDims(config: PlannerConfig, V: number): ModelDims {
  const c = validateConfig(config);
  if (!Number.isInteger(V) || V < 1) throw new ConfigError('V', `must be ≥ 1, got ${V}`);
  return {
    L: c.L,
    C: c.C,
    NH: c.NH,
    HS: c.C / c.NH,
    FC: c.mlpRatio * c.C,
    V,
    P: c.promptLen,
    F: c.forecastTokens,
    T: c.promptLen + c.forecastTokens - 1,
    E: c.maxElements,
    // Columns after the text: the element's mark, and the linked phrase's mark (encode.ts).
    W: c.elementTextTokens + 1 + (c.instructionPhrases > 0 ? 1 : 0),
    BF: BOX_FEATURE_NAMES.length,
    BH: c.boxHidden,
    CROP: c.cropSize * c.cropSize * 3,
  };
}
