// The trainer's safety nets, driven by a scripted stage (no model work, so each case is
// cheap): checkpoints on a clock whatever the update interval, and the divergence guard that
// stops a stage whose loss or gradient norm spikes beyond a factor of its running median.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import type { UpdateMetrics } from '../../src/rl/metrics';
import type { StageDefinition } from '../../src/rl/stage-types';
import { sftStage } from '../../src/rl/sft';
import { DivergenceError, runMetaOf, train, type CheckpointKind } from '../../src/rl/trainer';
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
  history?: { loss: number; gradNorm: number }[],
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
    history,
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

describe('divergence guard', () => {
  it('stops a stage whose loss jumps beyond the factor of its running median, after the last good checkpoint', async () => {
    // The case: loss around 7.1, then 138.8 (19.5×) at update 13.
    const loss = [...flat(12, 7.1), 138.8, 7];
    const { result, saved } = await runScripted(loss, flat(14, 1), {
      checkpointEvery: 5,
      divergenceFactor: 10,
    });
    expect(result).toBeInstanceOf(DivergenceError);
    expect((result as Error).message).toBe(
      'stage 0 diverged at update 13: the loss 138.8 is 19.5× its running median 7.100 (over 12 updates; run.divergenceFactor is 10); stopped, the last good checkpoint (update 10) is kept',
    );
    expect(saved).toEqual([
      ['start', 0],
      ['periodic', 5],
      ['periodic', 10],
    ]);
  });

  it('watches the gradient norm in every stage, and is off at factor 0', async () => {
    const grad = [...flat(11, 2), 24, 0.5];
    const { result } = await runScripted(flat(13, 2), grad, { divergenceFactor: 10 });
    expect((result as Error).message).toContain(
      'update 12: the gradient norm 24.00 is 12.0× its running median 2.000',
    );
    expect((result as Error).message).toContain('no checkpoint was saved yet');
    const off = await runScripted(flat(13, 2), grad, { divergenceFactor: 0 });
    expect(off.result).toMatchObject({ update: 13, aborted: false });
    // A gentle trend and a spike within the factor pass; so do the first 10 updates.
    const early = await runScripted([100, ...flat(12, 2)], [50, ...flat(12, 1)], {
      divergenceFactor: 10,
    });
    expect(early.result).toMatchObject({ update: 13 });
    const within = await runScripted([...flat(12, 2), 19], flat(13, 1), { divergenceFactor: 10 });
    expect(within.result).toMatchObject({ update: 13 });
  });

  it('never scales the gradient norm below the clip norm: a tiny median makes no ordinary step a spike', async () => {
    // GRPO from a confident policy: most groups tie, the median gradient is ~0.007, and a
    // normal step of norm 1.9 would be a 270× "spike" against it. The clip norm here is 1.
    const grad = [...flat(11, 0.007), 1.9, 0.007];
    const ordinary = await runScripted(flat(13, 2), grad, { divergenceFactor: 10 });
    expect(ordinary.result).toMatchObject({ update: 13, aborted: false });
    const spike = await runScripted(flat(13, 2), [...flat(11, 0.007), 12, 0.007], {
      divergenceFactor: 10,
    });
    expect((spike.result as Error).message).toContain(
      'update 12: the gradient norm 12.00 is 12.0× the clip norm 1.000 (its running median 0.007000 is smaller)',
    );
  });

  it('starts warm on a resume: the stored metrics are its running median', async () => {
    const history = flat(12, 0).map(() => ({ loss: 7.1, gradNorm: 1 }));
    const { result } = await runScripted(
      [138.8],
      [1],
      { divergenceFactor: 10 },
      undefined,
      history,
    );
    expect((result as Error).message).toContain(
      'update 1: the loss 138.8 is 19.5× its running median 7.100 (over 12 updates',
    );
  });
});
