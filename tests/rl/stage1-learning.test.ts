// The learning test of stage 1: from a weak stage-0 checkpoint (weakStage0: 300 SFT updates), twenty
// trajectory-GRPO updates on the wasm backend raise the mean trajectory reward of the planner's
// forecasts on held-out prompts (held-out parameters of the training templates) above the
// stage-0 checkpoint's, both for one sampled forecast per prompt at the training temperature
// and for the greedy forecast. Seeded and deterministic (wasm backend, one thread).
import { describe, expect, it } from 'vitest';
import { SETTINGS_PRESETS } from '../../src/rl/config/schema';
import { learningBackend, runStage, weakStage0 } from './learning-fixtures';
import { tinySettings } from './stage1-fixtures';

const SETTINGS = tinySettings({
  // The shipped checkpoint's model: the quick-demo shape (public/models/stage0.json).
  model: { ...SETTINGS_PRESETS['quick-demo'].model },
  // GUI suites of the shipped checkpoint's data (ci-tiny narrows them to one).
  data: {
    suites: [
      'mobile-online',
      'desktop-online',
      'mobile-offline-high',
      'cross-app-offline',
      'web-offline',
    ],
    taskPool: 1000,
  },
  grpo: { groupSize: 4, promptsPerUpdate: 4, innerEpochs: 2, minibatches: 1 },
  optimiser: { lr: 3e-4, warmupUpdates: 2 },
  run: { evalSize: 32, evalEvery: 0 },
});
const UPDATES = 20;

describe('stage 1 learns', () => {
  it('raises the held-out trajectory reward above the stage-0 checkpoint’s', async () => {
    const { result, metrics } = await runStage(
      await learningBackend(),
      SETTINGS,
      1,
      await weakStage0(),
      UPDATES,
      true,
    );
    expect(metrics).toHaveLength(UPDATES);
    const before = result.startEvaluation!;
    const after = result.finalEvaluation!;
    const sampled = [before['held-out-sampled'].reward, after['held-out-sampled'].reward];
    const greedy = [before['held-out'].reward, after['held-out'].reward];
    // Measured from the weak quick-demo-shape checkpoint (300 SFT updates, all seven suites,
    // label marks), 32 prompts, on wasm (2026-12-06): sampled 0.376 → 0.428, greedy 0.445 →
    // 0.518 (before the marks the fixture started lower: greedy 0.312 → 0.472). The greedy
    // forecast gains most; one sampled forecast per prompt moves less than the noise of 32
    // prompts, so only its direction is asserted.
    console.log(
      `stage 1 held-out reward: sampled ${sampled.join(' → ')}, greedy ${greedy.join(' → ')}`,
    );
    expect(greedy[1], `greedy held-out reward ${greedy}`).toBeGreaterThan(greedy[0] + 0.05);
    expect(sampled[1], `sampled held-out reward ${sampled}`).toBeGreaterThan(sampled[0]);
    // The policy moved, and the KL term kept it near the reference.
    const last = metrics[UPDATES - 1];
    expect(last.kl).toBeGreaterThan(0);
    expect(last.kl).toBeLessThan(1);
  }, 900_000);
});
