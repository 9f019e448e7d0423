// The Train page's settings as the UI handles them: the URL hash (round trip, only changed
// fields, garbage, unknown keys, partial links) and the form's draft check (each bad field
// refused with its own message, cross-field rules, empty model fields).
import { describe, expect, test } from 'vitest';
import {
  SETTINGS_PRESET_NAMES,
  settingsPreset,
  validateSettings,
} from '../../src/rl/config/schema';
import { checkDraft, draftOf } from '../../src/ui/train/form';
import {
  changedFields,
  DEFAULT_PRESET,
  formatHash,
  parseHash,
  viewOfHash,
} from '../../src/ui/train/settings-hash';

describe('settings in the URL hash', () => {
  test('round trip: every preset, and edited settings, come back equal', () => {
    for (const preset of SETTINGS_PRESET_NAMES) {
      const edited = validateSettings({
        preset,
        grpo: { groupSize: 7, temperature: 0.7 },
        data: { suites: ['web-offline', 'mobile-online'], midEpisode: false },
        run: { seed: 123456 },
        model: { horizon: 6 },
        optimiser: { lr: 3.5e-5, schedule: 'cosine' },
      });
      for (const settings of [settingsPreset(preset), edited]) {
        const hash = formatHash('train', preset, settings);
        const parsed = parseHash(hash);
        expect(parsed.problems).toEqual([]);
        expect(parsed.view).toBe('train');
        expect(parsed.preset).toBe(preset);
        expect(parsed.settings).toEqual(settings);
      }
    }
  });

  test('only fields that differ from the preset are written', () => {
    const s = validateSettings({ preset: 'teaching', run: { seed: 9 } });
    expect(formatHash('train', 'teaching', s)).toBe('#/train?preset=teaching&run.seed=9');
    expect(formatHash('train', 'teaching', settingsPreset('teaching'))).toBe(
      '#/train?preset=teaching',
    );
  });

  test('a model field emptied back to the model preset is written as an empty value', () => {
    // quick-demo sets model.C = 64; null means "the tiny model's own width".
    const s = settingsPreset('quick-demo');
    const cleared = { ...s, model: { ...s.model, C: null } };
    expect(changedFields(cleared, 'quick-demo')).toEqual({ 'model.C': '' });
    const parsed = parseHash(formatHash('train', 'quick-demo', cleared));
    expect(parsed.settings.model.C).toBeNull();
    expect(parsed.problems).toEqual([]);
  });

  test('no settings in the hash: the quick demo', () => {
    for (const hash of ['', '#', '#/train', '#/train?']) {
      const parsed = parseHash(hash);
      expect(parsed.preset).toBe(DEFAULT_PRESET);
      expect(parsed.settings).toEqual(settingsPreset(DEFAULT_PRESET));
      expect(parsed.problems).toEqual([]);
    }
  });

  test('a partial hash keeps the preset for every field it does not name', () => {
    const parsed = parseHash('#/train?preset=ci-tiny&run.seed=42');
    const expected = settingsPreset('ci-tiny');
    expected.run.seed = 42;
    expect(parsed.settings).toEqual(expected);
    expect(parsed.overrides).toEqual({ 'run.seed': '42' });
  });

  test('unknown keys and an unknown preset are reported and ignored', () => {
    const parsed = parseHash('#/train?preset=huge&colour=blue&grpo.nope=1&run.seed=5');
    expect(parsed.preset).toBe(DEFAULT_PRESET);
    expect(parsed.settings.run.seed).toBe(5);
    expect(parsed.problems.map((p) => p.key)).toEqual(['preset', 'colour', 'grpo.nope']);
    expect(parsed.problems[1].message).toMatch(/not a setting/);
  });

  test('bad values are named and dropped; the rest of the link still applies', () => {
    const parsed = parseHash(
      '#/train?grpo.groupSize=999&grpo.temperature=abc&data.midEpisode=maybe&data.suites=mars&run.seed=3',
    );
    expect(Object.fromEntries(parsed.problems.map((p) => [p.key, p.message]))).toEqual({
      'grpo.groupSize': expect.stringMatching(/≤ 64.*999/),
      'grpo.temperature': expect.stringMatching(/number.*abc/),
      'data.midEpisode': expect.stringMatching(/true or false/),
      'data.suites': expect.stringMatching(/among/),
    });
    const expected = settingsPreset(DEFAULT_PRESET);
    expected.run.seed = 3;
    expect(parsed.settings).toEqual(expected);
  });

  test('garbage never throws and gives the preset', () => {
    for (const hash of ['#/train?%%%', '#/train?=&=&&', '#/train?a', '#????', '#/train?run.seed']) {
      const parsed = parseHash(hash);
      expect(parsed.view).toBe(viewOfHash(hash));
      expect(parsed.settings.grpo).toEqual(settingsPreset(DEFAULT_PRESET).grpo);
    }
    // A key with no value is a bad value for a number field, named as such.
    expect(parseHash('#/train?run.seed').problems[0].key).toBe('run.seed');
  });

  test('the view is read apart from the settings', () => {
    expect(viewOfHash('#/train?preset=teaching')).toBe('train');
    expect(viewOfHash('#/runs')).toBe('runs');
    expect(viewOfHash('')).toBe('');
  });
});

describe('the setup form', () => {
  test('a valid draft gives the settings it shows', () => {
    const s = settingsPreset('teaching');
    const check = checkDraft(draftOf(s), 'teaching');
    expect(check.errors).toEqual({});
    expect(check.settings).toEqual(s);
  });

  test('every bad field is refused with its own message; no settings come out', () => {
    const draft = draftOf(settingsPreset('quick-demo'));
    draft['grpo.groupSize'] = '1';
    draft['optimiser.lr'] = '0';
    draft['run.seed'] = '';
    draft['data.suites'] = '';
    const check = checkDraft(draft, 'quick-demo');
    expect(check.settings).toBeNull();
    expect(check.errors).toEqual({
      'grpo.groupSize': 'Must be ≥ 2, got 1',
      'optimiser.lr': 'Must be > 0, got 0',
      'run.seed': expect.stringMatching(/^Must be a number/),
      'data.suites': expect.stringMatching(/^Must be a non-empty list/),
    });
  });

  test('cross-field rules are named on the field the schema names', () => {
    const draft = draftOf(settingsPreset('quick-demo'));
    draft['model.NH'] = '3';
    const check = checkDraft(draft, 'quick-demo');
    expect(check.settings).toBeNull();
    expect(check.errors['model.C']).toMatch(/^Width \(64\) must be divisible by model.NH \(3\)/);
  });

  test("an empty model field means the model preset's value", () => {
    const draft = draftOf(settingsPreset('quick-demo'));
    draft['model.C'] = '';
    draft['model.NH'] = '';
    const check = checkDraft(draft, 'quick-demo');
    expect(check.errors).toEqual({});
    expect(check.settings!.model.C).toBeNull();
  });
});
