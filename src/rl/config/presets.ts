// Named settings presets: partial nested overrides of the defaults that a config file (or the
// UI) starts from with { "preset": "teaching", ... }.
import type { TrainSettings } from './settings';

export type DeepPartial<T> = { [K in keyof T]?: T[K] extends object ? Partial<T[K]> : T[K] };

export const SETTINGS_PRESETS = {
  /** Unit tests and CI: the tiny model, a handful of updates. */
  'ci-tiny': {
    model: { preset: 'tiny' },
    grpo: { groupSize: 3, promptsPerUpdate: 2, minibatches: 1 },
    optimiser: { warmupUpdates: 2, sftLr: 3e-3 },
    data: { suites: ['mobile-online'], taskPool: 64, batchSize: 4 },
    run: {
      backend: 'cpu',
      sftUpdates: 40,
      stage1Updates: 10,
      stage2Updates: 5,
      evalEvery: 0,
      evalSize: 8,
      checkpointEvery: 0,
    },
  },
  /**
   * The hosted demo. On wasm, one thread (2-core EPYC), a stage-1 update of the default rollout
   * batch (4 minibatches × 4 prompts × 5 forecasts) takes 2.1–2.6 CPU-s (`npm run bench`).
   */
  'quick-demo': {
    // Sees every element of the densest screen (40 actionable at most) and copies labels.
    model: {
      preset: 'tiny',
      horizon: 4,
      C: 64,
      NH: 4,
      promptLen: 96,
      maxElements: 40,
      elementWords: 4,
    },
    data: { batchSize: 16 },
    run: { sftUpdates: 200, stage1Updates: 100, stage2Updates: 50, evalEvery: 25, evalSize: 32 },
  },
  /** The classroom default: the small model, every stage long enough to see curves move. */
  teaching: {
    model: { preset: 'small' },
    run: { sftUpdates: 600, stage1Updates: 300, stage2Updates: 150, evalEvery: 50, evalSize: 64 },
  },
  /** Closest to the paper: H = 10, G = 5, β = 1e-2, long stages on the base model. */
  'paper-like': {
    model: { preset: 'base', horizon: 10 },
    grpo: { groupSize: 5, promptsPerUpdate: 8, temperature: 1.0, klBeta: 1e-2 },
    optimiser: { lr: 5e-5, sftLr: 3e-4, schedule: 'cosine', warmupUpdates: 50 },
    data: { batchSize: 32 },
    run: {
      sftUpdates: 3000,
      stage1Updates: 2000,
      stage2Updates: 1000,
      evalEvery: 200,
      evalSize: 200,
      checkpointEvery: 500,
    },
  },
} as const satisfies Record<string, DeepPartial<TrainSettings>>;

export type SettingsPresetName = keyof typeof SETTINGS_PRESETS;
export const SETTINGS_PRESET_NAMES = Object.keys(SETTINGS_PRESETS) as SettingsPresetName[];
