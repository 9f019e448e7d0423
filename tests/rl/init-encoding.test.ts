// A checkpoint made before the instruction phrases were marked has the same parameters as one
// made after: stage 0 starts from it and teaches the new encoding (its checkpoints then say
// so); every later stage refuses it, naming the field, because its policy was never trained
// on what it would now be shown.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { captureCheckpoint, type CheckpointState } from '../../src/rl/model/checkpoint';
import { PRESETS } from '../../src/rl/model/config';
import { Planner } from '../../src/rl/model/planner';
import { train } from '../../src/rl/trainer';
import { Rng } from '../../src/rng';
import { frozenVocab, tinySettings } from './train-fixtures';

async function checkpointWithoutPhrases(be: CpuBackend): Promise<CheckpointState> {
  const config = { ...PRESETS.tiny, instructionPhrases: 0 };
  const planner = new Planner(be, config, frozenVocab().size, 1);
  planner.init(new Rng(1));
  const optimizer = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0 };
  const state = await captureCheckpoint(planner, frozenVocab(), optimizer);
  planner.release();
  return state;
}

describe('an init checkpoint made with another instruction encoding', () => {
  const settings = tinySettings({ model: { preset: 'tiny', instructionPhrases: 3 } });

  it('starts stage 0, whose checkpoints carry the new encoding', async () => {
    const be = new CpuBackend();
    const init = await checkpointWithoutPhrases(be);
    const saved: CheckpointState[] = [];
    const result = await train({
      be,
      settings,
      stage: 0,
      vocab: frozenVocab(),
      init,
      updates: 1,
      saveCheckpoint: async (_kind, _update, state) => void saved.push(state),
    });
    expect(result.update).toBe(1);
    expect(saved.length).toBeGreaterThan(0);
    for (const s of saved) expect(s.config.instructionPhrases).toBe(3);
    // The parameters started from the init's: the start checkpoint holds them unchanged.
    const start = saved[0].tensors.params;
    for (const [name, values] of init.tensors.params)
      expect(
        Buffer.from(
          start.get(name)!.buffer,
          start.get(name)!.byteOffset,
          start.get(name)!.byteLength,
        ).equals(Buffer.from(values.buffer, values.byteOffset, values.byteLength)),
      ).toBe(true);
  });

  it('is refused by stage 1, naming the field', async () => {
    const be = new CpuBackend();
    const init = await checkpointWithoutPhrases(be);
    await expect(
      train({ be, settings, stage: 1, vocab: frozenVocab(), init, updates: 1 }),
    ).rejects.toThrow(
      /cannot start from this checkpoint: 'model.instructionPhrases' is 0 in the checkpoint, 3 in the settings/,
    );
  });
});
