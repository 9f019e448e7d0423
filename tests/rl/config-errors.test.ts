// Settings errors name the field, the expected type and the value as given (Infinity is not
// "null"), and a model too big to train is refused with its memory estimate before allocation.
import { describe, expect, it } from 'vitest';
import { fromFlat, validateSettings } from '../../src/rl/config';
import { estimateTrainingMemory, MAX_TRAINING_BYTES } from '../../src/rl/config/memory';
import { plannerConfigOf, SETTINGS_PRESET_NAMES, settingsPreset } from '../../src/rl/config/schema';

describe('settings errors', () => {
  it('name the path, the expected type and the value', () => {
    const cases: [unknown, string][] = [
      [
        null,
        'setting \'(settings)\': must be an object of groups (e.g. {"run": {"seed": 1}}), got null',
      ],
      [
        [],
        'setting \'(settings)\': must be an object of groups (e.g. {"run": {"seed": 1}}), got an empty list []',
      ],
      [
        { run: 'x' },
        'setting \'run\': must be an object of settings (e.g. {"run": {"seed": …}}), got the text "x"',
      ],
      [{ run: { seed: Infinity } }, "setting 'run.seed': must be a finite number, got Infinity"],
      [{ run: { seed: -Infinity } }, "setting 'run.seed': must be a finite number, got -Infinity"],
      [
        { grpo: { temperature: NaN } },
        "setting 'grpo.temperature': must be a finite number, got NaN",
      ],
      [
        { data: { suites: 'web' } },
        'setting \'data.suites\': must be a non-empty list, got the text "web"',
      ],
      [{ model: { C: 100000 } }, "setting 'model.C': must be ≤ 4096, got 100000"],
      [
        { model: { L: { n: 2 } } },
        'setting \'model.L\': must be a finite number, got an object {"n":2}',
      ],
    ];
    for (const [input, message] of cases) expect(() => validateSettings(input)).toThrow(message);
    expect(() => fromFlat({ 'run.seed': 'Infinity' })).toThrow(
      "setting 'run.seed': must be a finite number, got Infinity",
    );
  });

  it('refuses a model whose training memory estimate exceeds the limit, with the estimate', () => {
    for (const name of SETTINGS_PRESET_NAMES) {
      const s = settingsPreset(name);
      const batch = Math.max(s.data.batchSize, s.grpo.groupSize * s.grpo.promptsPerUpdate);
      expect(estimateTrainingMemory(plannerConfigOf(s), batch).totalBytes, name).toBeLessThan(
        MAX_TRAINING_BYTES,
      );
    }
    expect(() => validateSettings({ preset: 'quick-demo', model: { C: 2048, L: 8 } })).toThrow(
      /setting 'model': training this shape needs about 7\.5 GiB \(273\.3 M parameters: 4\.1 GiB with gradients and moments; activations 3\.4 GiB at batch 20\), above the 4\.0 GiB limit/,
    );
  });
});
