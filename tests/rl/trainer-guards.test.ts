// The trainer's safety nets, driven by a scripted stage (no model work, so each case is
// cheap): checkpoints on a clock whatever the update interval, and the divergence guard that
// stops a stage whose loss or gradient norm spikes beyond a factor of its running median.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import type { UpdateMetrics } from '../../src/rl/metrics';
import type { StageDefinition } from '../../src/rl/stages';
import { sftStage } from '../../src/rl/sft';
import { runMetaOf, train, type CheckpointKind } from '../../src/rl/trainer';
import { frozenVocab, tinySettings } from './train-fixtures';

/** A stage-0 stand-in whose update u reports loss[u-1] and grad[u-1] (and advances a clock). */
function scripted(loss: number[], grad: number[], tick?: () => void): StageDefinition {
  return {
    ...sftStage,
    create: async () => ({
      step: async (ctx) => {
        tick?.();
        const i = ctx.update - 1;
        return {
          stage: 0,
          update: ctx.update,
          elapsed: 0,
          loss: loss[i],
          reward: NaN,
          rewardComponents: {},
          rewardPerStep: [],
          kl: NaN,
          entropy: NaN,
          clipFraction: NaN,
          gradNorm: grad[i],
          learningRate: ctx.optimizer.lr,
          tokensPerSecond: 0,
          updatesPerSecond: 0,
        } satisfies UpdateMetrics;
      },
    }),
  };
}

async function runScripted(
  loss: number[],
  grad: number[],
  run: Record<string, unknown>,
  clock?: { ms: number; perUpdate: number },
) {
  const saved: [CheckpointKind, number][] = [];
  const result = await train({
    be: new CpuBackend(),
    settings: tinySettings({ run: { checkpointEvery: 0, checkpointSeconds: 0, ...run } }),
    stage: 0,
    vocab: frozenVocab(),
    updates: loss.length,
    definition: scripted(loss, grad, clock && (() => (clock.ms += clock.perUpdate))),
    now: clock && (() => clock.ms),
    saveCheckpoint: async (kind, update, state) => {
      expect(runMetaOf(state).update).toBe(update);
      saved.push([kind, update]);
    },
  }).catch((e: unknown) => e);
  return { result, saved };
}

const flat = (n: number, x: number) => Array.from({ length: n }, () => x);

describe('trainer checkpoints on a clock', () => {
  it('saves after every 30 s of training, whatever run.checkpointEvery says', async () => {
    // 12 s per update: 30 s have passed after updates 3, 6, 9 (counted from each save).
    const clock = { ms: 0, perUpdate: 12_000 };
    const { saved } = await runScripted(flat(10, 1), flat(10, 1), { checkpointSeconds: 30 }, clock);
    expect(saved).toEqual([
      ['start', 0],
      ['interval', 3],
      ['interval', 6],
      ['interval', 9],
      ['final', 10],
    ]);
    const off = await runScripted(flat(10, 1), flat(10, 1), { checkpointSeconds: 0 }, clock);
    expect(off.saved).toEqual([
      ['start', 0],
      ['final', 10],
    ]);
  });
});
