// A checkpoint made with an older vocabulary (before tool steps: no <act:tool>) is refused with
// a message naming the vocabulary mismatch and what differs, by the trainer's --init path and by
// the checkpoint loader, never read with shifted token ids.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { validateSettings } from '../../src/rl/config/schema';
import { fixedTokenKeys, Vocab } from '../../src/text/vocab';
import {
  captureCheckpoint,
  decodeCheckpoint,
  encodeCheckpoint,
} from '../../src/rl/model/checkpoint';
import { PRESETS, validateConfig } from '../../src/rl/model/config';
import { Planner } from '../../src/rl/model/planner';
import { train } from '../../src/rl/trainer';
import { Rng } from '../../src/rng';
import { frozenVocab } from './train-fixtures';

/** A checkpoint as one made before tool steps: its vocabulary lacks <act:tool>. */
async function oldCheckpoint() {
  const be = new CpuBackend();
  const old = new Vocab([...fixedTokenKeys().filter((k) => k !== '<act:tool>'), 'Wi', 'Fi']);
  const { elementWords: _, ...oldConfig } = PRESETS.tiny;
  const planner = new Planner(be, validateConfig(oldConfig), old.size, 1);
  planner.init(new Rng(1));
  const optimizer = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
  const state = await captureCheckpoint(planner, old, optimizer);
  planner.release();
  // Its header config has no elementWords, as configs saved before element words.
  const bytes = encodeCheckpoint({ ...state, config: oldConfig as typeof state.config });
  return { be, bytes };
}

describe('checkpoints from an older vocabulary', () => {
  it('are refused by the trainer, naming the vocabulary mismatch and the missing tool token', async () => {
    const { be, bytes } = await oldCheckpoint();
    const init = decodeCheckpoint(bytes);
    expect(init.config.elementWords).toBe(0);
    const settings = validateSettings({ preset: 'ci-tiny' });
    await expect(
      train({ be, settings, stage: 1, vocab: frozenVocab(), init, updates: 1 }),
    ).rejects.toThrow(
      /vocab mismatch: the init checkpoint has v1-\d+-\w+, this build has v1-\d+-\w+; it lacks <act:tool>.*\(it predates tool steps\)/,
    );
  });

  it('are refused by the loader when the current vocabulary is expected', async () => {
    const { bytes } = await oldCheckpoint();
    expect(() => decodeCheckpoint(bytes, { vocab: frozenVocab() })).toThrow(/vocab mismatch/);
    expect(frozenVocab().stepType('tool')).toBeDefined();
  });
});
