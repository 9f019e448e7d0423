import { describe, expect, it } from 'vitest';
import {
  defaultSettings,
  fromFlat,
  plannerConfigOf,
  SCHEMA,
  SETTINGS_PRESET_NAMES,
  SettingsError,
  settingsPreset,
  toFlat,
  validateSettings,
} from '../../src/rl/config';
import { forecastBudget, PRESETS, validateConfig } from '../../src/rl/model/config';
import { DEFAULT_REWARD_SETTINGS, rewardSettings } from '../../src/rl/reward/settings';

function fieldOf(fn: () => unknown): string {
  try {
    fn();
  } catch (e) {
    if (e instanceof SettingsError) return e.field;
    throw e;
  }
  throw new Error('expected a SettingsError');
}

describe('settings schema', () => {
  it('defaults are valid and carry the published GRPO and reward values', () => {
    const s = validateSettings({});
    expect(s).toEqual(defaultSettings());
    expect(s.grpo.groupSize).toBe(5);
    expect(s.grpo.temperature).toBe(1);
    expect(s.grpo.clipEpsilon).toBe(0.2);
    expect(s.grpo.klBeta).toBe(1e-2);
    expect(s.reward).toEqual(DEFAULT_REWARD_SETTINGS);
    expect(rewardSettings(s.reward)).toEqual(s.reward);
    expect(validateConfig(plannerConfigOf(s))).toEqual(PRESETS.small);
  });

  it('covers every reward setting and every planner config field', () => {
    const keys = new Set(SCHEMA.map((f) => f.key));
    for (const k of Object.keys(DEFAULT_REWARD_SETTINGS)) expect(keys).toContain(`reward.${k}`);
    for (const k of Object.keys(PRESETS.small)) expect(keys).toContain(`model.${k}`);
    for (const f of SCHEMA) {
      expect(f.label.length).toBeGreaterThan(0);
      expect(f.help.length).toBeGreaterThan(0);
      expect(f.key.startsWith(`${f.group}.`)).toBe(true);
    }
  });

  it('model fields override the model preset', () => {
    const s = validateSettings({ model: { preset: 'tiny', horizon: 5, L: 3 } });
    // The forecast budget follows the horizon unless it is set.
    const F = forecastBudget(5);
    expect(plannerConfigOf(s)).toEqual({ ...PRESETS.tiny, horizon: 5, L: 3, forecastTokens: F });
    const fixed = validateSettings({ model: { preset: 'tiny', horizon: 5, forecastTokens: 40 } });
    expect(plannerConfigOf(fixed).forecastTokens).toBe(40);
  });

  it('names each invalid field', () => {
    const bad: [unknown, string][] = [
      [{ grpo: { groupSize: 1 } }, 'grpo.groupSize'],
      [{ grpo: { groupSize: 2.5 } }, 'grpo.groupSize'],
      [{ grpo: { temperature: 0 } }, 'grpo.temperature'],
      [{ grpo: { topP: 1.5 } }, 'grpo.topP'],
      [{ reward: { gamma: 1.2 } }, 'reward.gamma'],
      [{ reward: { targetMatch: 'fuzzy' } }, 'reward.targetMatch'],
      [{ reward: { gama: 0.9 } }, 'reward.gama'],
      [{ optimiser: { lr: -1 } }, 'optimiser.lr'],
      [{ optimiser: { lr: 'fast' } }, 'optimiser.lr'],
      [{ data: { suites: ['mobile-online', 'nope'] } }, 'data.suites'],
      [{ data: { suites: [] } }, 'data.suites'],
      [{ data: { midEpisode: 'yes' } }, 'data.midEpisode'],
      [{ run: { backend: 'tpu' } }, 'run.backend'],
      [{ run: { seed: NaN } }, 'run.seed'],
      [{ model: { preset: 'huge' } }, 'model.preset'],
      [{ model: { C: 30, NH: 4 } }, 'model.C'],
      [{ model: { maxElements: 200 } }, 'model.maxElements'],
      [{ modle: {} }, 'modle'],
      [{ preset: 'fast' }, 'preset'],
      [[], '(settings)'],
    ];
    for (const [input, field] of bad) {
      expect(
        fieldOf(() => validateSettings(input)),
        JSON.stringify(input),
      ).toBe(field);
    }
    expect(() => validateSettings({ grpo: { groupSize: 1 } })).toThrow(/grpo\.groupSize/);
  });

  it('presets are valid and differ from each other', () => {
    const seen = new Set<string>();
    for (const name of SETTINGS_PRESET_NAMES) {
      const s = settingsPreset(name);
      expect(validateSettings(s)).toEqual(s);
      seen.add(JSON.stringify(s));
    }
    expect(seen.size).toBe(SETTINGS_PRESET_NAMES.length);
    expect(settingsPreset('ci-tiny').model.preset).toBe('tiny');
    expect(settingsPreset('paper-like').model.horizon).toBe(10);
    // A config file starts from a preset and overrides it.
    const s = validateSettings({ preset: 'ci-tiny', run: { seed: 9 } });
    expect(s.run.seed).toBe(9);
    expect(s.run.backend).toBe('cpu');
  });

  it('flat string maps round-trip, in full and as changes only', () => {
    for (const name of SETTINGS_PRESET_NAMES) {
      const s = settingsPreset(name);
      const flat = toFlat(s);
      for (const v of Object.values(flat)) expect(typeof v).toBe('string');
      expect(fromFlat(flat)).toEqual(s);
      expect(fromFlat(toFlat(s, true))).toEqual(s);
    }
    const s = validateSettings({
      optimiser: { lr: 1 / 3, eps: 1e-12 },
      data: { suites: ['web-offline', 'mobile-online'], midEpisode: false },
      run: { backend: 'cpu' },
    });
    const flat = toFlat(s, true);
    expect(flat['run.backend']).toBe('cpu');
    expect(flat['data.suites']).toBe('web-offline,mobile-online');
    expect(flat['data.midEpisode']).toBe('false');
    expect(flat['grpo.groupSize']).toBeUndefined();
    expect(fromFlat(flat)).toEqual(s);
    expect(fieldOf(() => fromFlat({ 'grpo.groupSize': 'five' }))).toBe('grpo.groupSize');
    expect(fieldOf(() => fromFlat({ 'grpo.nope': '1' }))).toBe('grpo.nope');
  });
});
