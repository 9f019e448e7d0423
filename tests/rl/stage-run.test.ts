// Evaluating a saved checkpoint outside the training loop builds the stage's planner and runner
// the way the trainer does, so it gives the numbers the trainer reported for that checkpoint.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { STAGE } from '../../src/rl/stage-list';
import { evaluateCheckpoint } from '../../src/rl/stage-run';
import { train } from '../../src/rl/trainer';
import { frozenVocab, tinySettings } from './train-fixtures';

describe('evaluateCheckpoint', () => {
  it("gives a checkpoint the trainer's own final evaluation", async () => {
    const be = new CpuBackend();
    const vocab = frozenVocab();
    const settings = tinySettings({ run: { evalSize: 4, evalEvery: 0 } });
    let final: CheckpointState | null = null;
    const result = await train({
      be,
      settings,
      stage: STAGE.sft,
      vocab,
      updates: 2,
      saveCheckpoint: async (kind, _u, state) => {
        if (kind === 'final') final = state;
      },
    });
    expect(final).not.toBeNull();
    const again = await evaluateCheckpoint(be, final!, settings, STAGE.sft, vocab);
    expect(again).toEqual(result.finalEvaluation);
    expect(Object.keys(again['held-out'] ?? {})).toContain('loss');
  });
});
