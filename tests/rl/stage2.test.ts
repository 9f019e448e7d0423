// Stage 2 through the trainer: registered as stage 2, and it learns: from a stage-1 start
// (the weak 300-update stage-0 checkpoint after a few trajectory-GRPO updates), grounded GRPO
// with the frozen ONNX grounder raises the held-out grounded step success (the first step executed
// through the grounder is a step success) of sampled and of greedy forecasts above that
// stage-1 starting point. Seeded and deterministic (wasm backend, one thread).
import { describe, expect, it } from 'vitest';
import { validateSettings } from '../../src/rl/config/schema';
import { registeredStages, stageDefinition } from '../../src/rl/stages';
import { learningBackend, runStage, weakStage0 } from './learning-fixtures';

const SETTINGS = validateSettings({
  // The shipped stage-0 checkpoint's shape and data (public/models/stage0.json).
  preset: 'quick-demo',
  data: { batchSize: 16 },
  // The stage-1 start as measured below: one minibatch per update and the earlier reward rules.
  grpo: { groupSize: 6, promptsPerUpdate: 3, minibatches: 1 },
  reward: { variant: 'tracelab' },
  optimiser: { lr: 5e-4, warmupUpdates: 2 },
  run: { backend: 'wasm', seed: 4, evalSize: 48, evalEvery: 0, checkpointEvery: 0 },
});
const STAGE1_UPDATES = 3;
const STAGE2_UPDATES = 40;

describe('stage 2', () => {
  it('is registered with the trainer', () => {
    expect(registeredStages()).toContain(2);
    expect(stageDefinition(2).name).toBe('grounded GRPO');
    expect(stageDefinition(2).batchSize(SETTINGS)).toBe(18);
  });

  it('raises held-out grounded step success above its stage-1 starting point', async () => {
    const be = await learningBackend();
    const stage1 = await runStage(be, SETTINGS, 1, await weakStage0(), STAGE1_UPDATES);
    const { result, metrics } = await runStage(be, SETTINGS, 2, stage1.final, STAGE2_UPDATES, true);
    expect(metrics).toHaveLength(STAGE2_UPDATES);
    expect(metrics.every((m) => m.stage === 2 && Number.isFinite(m.loss))).toBe(true);
    const before = result.startEvaluation!['held-out-sampled'];
    const after = result.finalEvaluation!['held-out-sampled'];
    expect(
      after.success,
      `sampled grounded success ${before.success} → ${after.success}`,
    ).toBeGreaterThan(before.success);
    const greedy = [
      result.startEvaluation!['held-out'].success,
      result.finalEvaluation!['held-out'].success,
    ];
    console.log(
      `stage 2 held-out grounded success: sampled ${before.success} → ${after.success}, greedy ${greedy.join(' → ')}`,
    );
    expect(greedy[1], `greedy grounded success ${greedy}`).toBeGreaterThan(greedy[0]);
    // Training rewards are grounded outcomes: success (0/1) plus the 0.1 format term.
    for (const m of metrics) {
      expect(m.reward).toBeCloseTo(m.rewardComponents.success + 0.1 * m.rewardComponents.format, 5);
    }
    const last = metrics[STAGE2_UPDATES - 1];
    expect(last.kl).toBeGreaterThan(0);
    expect(last.kl).toBeLessThan(5); // measured 1.39 after 40 updates at lr 5e-4
  }, 900_000);
});
