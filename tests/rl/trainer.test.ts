// The trainer: same seed and backend → same metrics; the learning-rate schedule; a non-finite
// loss stops the run naming the update and keeps the last good checkpoint; the stage registry.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import type { TrainSettings } from '../../src/rl/config';
import type { Stage, UpdateMetrics } from '../../src/rl/metrics';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { scheduledLr } from '../../src/rl/schedule';
import { sftStage } from '../../src/rl/sft';
import { registeredStages, stageDefinition, StageUnavailableError } from '../../src/rl/stages';
import { DivergenceError, runMetaOf, train } from '../../src/rl/trainer';
import { frozenVocab, tinySettings } from './train-fixtures';

/** Metrics without the wall-clock fields. */
function run(settings: TrainSettings, updates: number) {
  const out: Omit<UpdateMetrics, 'elapsed' | 'tokensPerSecond' | 'updatesPerSecond'>[] = [];
  return train({
    be: new CpuBackend(),
    settings,
    stage: 0,
    vocab: frozenVocab(),
    updates,
    onMetrics: ({ elapsed: _e, tokensPerSecond: _t, updatesPerSecond: _u, ...rest }) =>
      out.push(rest),
  }).then(() => out);
}

describe('trainer', () => {
  it('gives the same metrics for the same seed, other metrics for another', async () => {
    const a = await run(tinySettings(), 6);
    const b = await run(tinySettings(), 6);
    const c = await run(tinySettings({ run: { seed: 2 } }), 6);
    expect(b).toEqual(a);
    expect(c.map((m) => m.loss)).not.toEqual(a.map((m) => m.loss));
  });

  it('warms the learning rate up linearly, then holds or decays it by cosine', () => {
    const opt = tinySettings({ optimiser: { warmupUpdates: 4 } }).optimiser;
    expect([1, 2, 4, 5, 100].map((u) => scheduledLr(opt, 1, u, 100))).toEqual([0.25, 0.5, 1, 1, 1]);
    const cos = { ...opt, schedule: 'cosine' as const };
    expect(scheduledLr(cos, 1, 4, 104)).toBe(1);
    expect(scheduledLr(cos, 1, 54, 104)).toBeCloseTo(0.55, 10);
    expect(scheduledLr(cos, 1, 104, 104)).toBeCloseTo(0.1, 10);
  });

  it('stops on a non-finite loss, naming the update, after the last good checkpoint', async () => {
    const saved: [string, number][] = [];
    const nanAt = 3;
    const definition = {
      ...sftStage,
      create: async (setup: Parameters<typeof sftStage.create>[0]) => {
        const inner = await sftStage.create(setup);
        return {
          step: async (ctx: Parameters<typeof inner.step>[0]) => {
            const m = await inner.step(ctx);
            return ctx.update === nanAt ? { ...m, loss: NaN } : m;
          },
          release: () => inner.release?.(),
        };
      },
    };
    const error = await train({
      be: new CpuBackend(),
      settings: tinySettings({ run: { checkpointEvery: 1 } }),
      stage: 0,
      vocab: frozenVocab(),
      updates: 10,
      definition,
      saveCheckpoint: async (kind, update: number, state: CheckpointState) => {
        saved.push([kind, update]);
        expect(runMetaOf(state).update).toBe(update);
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DivergenceError);
    expect((error as Error).message).toContain('update 3');
    expect((error as Error).message).toContain('loss is NaN');
    expect((error as Error).message).toContain('last good checkpoint (update 2)');
    expect(saved).toEqual([
      ['start', 0],
      ['periodic', 1],
      ['periodic', 2],
    ]);
  });

  it('names a stage that is not in this build', () => {
    expect(registeredStages()).toContain(0);
    expect(stageDefinition(0).name).toBe('SFT warm start');
    expect(() => stageDefinition(7 as Stage)).toThrow(StageUnavailableError);
    expect(() => stageDefinition(7 as Stage)).toThrow(/stage 7 is not available in this build/);
  });
});
