// measureRates: the rates behind --list-jobs' estimate, measured as one job runs (its stage
// updates, every suite of the preset, the held-out forecasts), with few units so the test is
// short. Rates are CPU seconds per unit: only their presence and sign are checked, never a
// speed.
import { describe, expect, it } from 'vitest';
import { WasmBackend } from '../../src/kernels/wasm';
import { loadVocabFile } from '../../src/rl/data/vocab-node';
import { loadCheckpointFile } from '../../src/rl/model/checkpoint-node';
import { measureRates } from '../../src/rl/experiment/measure';
import {
  EXPERIMENT_PRESETS,
  MEASURED_RATES,
  type ExperimentPreset,
} from '../../src/rl/experiment/plan';
import { mergeSettings, presetWithModel } from '../../src/rl/experiment/run-job';

describe('measureRates', () => {
  it('gives every rate of the estimate, > 0, and says how it was measured', async () => {
    const be = await WasmBackend.create({ threads: 1 });
    try {
      const init = await loadCheckpointFile(EXPERIMENT_PRESETS.small.init);
      const small = presetWithModel(EXPERIMENT_PRESETS.small, init);
      // The least work that still runs every kind of unit: a batch of 2, one suite per kind.
      const preset: ExperimentPreset = {
        ...small,
        settings: mergeSettings(small.settings, {
          grpo: { groupSize: 2, promptsPerUpdate: 1, minibatches: 1 },
          run: { evalSize: 1 },
        }),
        suites: ['mobile-online', 'mobile-offline-high', 'tools'],
      };
      const rates = await measureRates(
        { be, vocab: loadVocabFile(), preset, init },
        { updates: 1, online: 1, offline: 1, tools: 1, forecasts: 1 },
      );
      expect(Object.keys(rates).sort()).toEqual(Object.keys(MEASURED_RATES.claims).sort());
      for (const [k, v] of Object.entries(rates))
        if (k !== 'measured') expect(v, k).toBeGreaterThan(0);
      expect(rates.measured).toMatch(/WebAssembly SIMD, 1 thread/);
    } finally {
      be.destroy();
    }
  });
});
