// What the planner can see and write, on the reference: every element a reference step acts on
// is encoded (quick-demo and small shapes, every suite and split), the forecast budget F(H)
// holds at least 99 % of H-step reference forecasts of the training suites for every H of the
// ablation, and SFT never trains on a cut target.
import { describe, expect, it } from 'vitest';
import { SUITE_NAMES } from '../../src/envs/suites';
import { SPLITS } from '../../src/envs/suites/splits';
import { plannerConfigOf, settingsPreset, validateSettings } from '../../src/rl/config';
import { measureCoverage } from '../../src/rl/data/coverage';
import { PromptSource, streamRng } from '../../src/rl/data';
import { ABLATION_HORIZONS, forecastBudget } from '../../src/rl/model/config';
import { packBatch } from '../../src/rl/model/encode';
import { frozenVocab } from './train-fixtures';

// Instances per suite and split: a bounded sample (about 1,500 states in all).
const COUNT = 10;

describe('observation coverage', () => {
  for (const preset of ['quick-demo', 'teaching'] as const) {
    it(`encodes every reference target (${preset} shape, every suite and split)`, () => {
      const config = plannerConfigOf(settingsPreset(preset));
      let steps = 0;
      for (const suite of SUITE_NAMES)
        for (const split of SPLITS) {
          const c = measureCoverage(frozenVocab(), config, suite, split, COUNT, [], forecastBudget);
          expect(c.targetsEncoded, `${suite} ${split}`).toBe(c.targetSteps);
          steps += c.targetSteps;
        }
      expect(steps).toBeGreaterThan(500);
    });
  }
});

describe('forecast budget', () => {
  it('fits ≥ 99 % of H-step reference forecasts of every training suite, for every H', () => {
    const config = plannerConfigOf(settingsPreset('quick-demo'));
    for (const suite of SUITE_NAMES) {
      const c = measureCoverage(
        frozenVocab(),
        config,
        suite,
        'train',
        2 * COUNT,
        ABLATION_HORIZONS,
        forecastBudget,
      );
      expect(c.forecasts, suite).toBeGreaterThan(20);
      for (const H of ABLATION_HORIZONS)
        expect(c.fits[H] / c.forecasts, `${suite} H=${H}`).toBeGreaterThanOrEqual(0.99);
    }
  });

  it('grows with H and is the default forecast budget of every preset', () => {
    for (let H = 1; H < 15; H++) expect(forecastBudget(H + 1)).toBeGreaterThan(forecastBudget(H));
    const s = validateSettings({ preset: 'quick-demo', model: { horizon: 10 } });
    expect(plannerConfigOf(s).forecastTokens).toBe(forecastBudget(10));
    expect(() => forecastBudget(0)).toThrow(/horizon must be ≥ 1/);
  });

  it('SFT draws only targets that fit: longer ones are redrawn and counted, never cut', () => {
    const s = validateSettings({
      preset: 'quick-demo',
      model: { forecastTokens: 24 },
      data: { suites: ['mobile-online', 'tools'] },
    });
    const config = plannerConfigOf(s);
    const source = new PromptSource(s.data, frozenVocab(), config);
    const prompts = source.sampleFitting(streamRng(1, 0, 1, 'data'), 16);
    expect(prompts.every((p) => p.target.ids.length <= 24)).toBe(true);
    expect(source.truncatedRefused).toBeGreaterThan(0);
    const batch = packBatch(source.dims, frozenVocab(), PromptSource.examples(prompts));
    expect(batch.truncated).toBe(0);
    // The plain sampler would have handed some over, and packBatch counts the cut ones.
    const all = source.sample(streamRng(1, 0, 1, 'data'), 16);
    const cut = all.filter((p) => p.target.ids.length > 24).length;
    expect(cut).toBeGreaterThan(0);
    expect(packBatch(source.dims, frozenVocab(), PromptSource.examples(all)).truncated).toBe(cut);
  });

  it('with the derived budget no training target of any suite is refused', () => {
    const settings = validateSettings({ preset: 'quick-demo', data: { suites: [...SUITE_NAMES] } });
    const source = new PromptSource(settings.data, frozenVocab(), plannerConfigOf(settings));
    source.sampleFitting(streamRng(3, 0, 1, 'data'), 48);
    expect(source.truncatedRefused).toBe(0);
  });
});
