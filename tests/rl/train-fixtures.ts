// Shared inputs of the training tests: the shipped frozen vocabulary and 'ci-tiny' settings.
import { validateSettings, type TrainSettings } from '../../src/rl/config';
import { loadVocabFile } from '../../src/rl/data/vocab-node';
import type { Vocab } from '../../src/rl/lang';

let vocab: Vocab | null = null;

/** public/models/vocab.json (read once per test file). */
export function frozenVocab(): Vocab {
  vocab ??= loadVocabFile();
  return vocab;
}

/** The 'ci-tiny' preset with overrides (nested, as in a config file). */
export function tinySettings(overrides: Record<string, unknown> = {}): TrainSettings {
  return validateSettings({ preset: 'ci-tiny', ...overrides });
}
