// Stage 2 takes a rollout batch of grpo.minibatches × promptsPerUpdate prompts, sampled whole
// before the first step, and one gradient step per minibatch, as stage 1 does: from the second
// minibatch on the policy has moved, so the ratio leaves 1 and the clip fires; with one
// minibatch and one inner epoch the ratio stays 1 and nothing is clipped.
import { beforeAll, describe, expect, it } from 'vitest';
import { WasmBackend } from '../../src/kernels/wasm';
import { validateSettings } from '../../src/rl/config/schema';
import type { UpdateMetrics } from '../../src/rl/metrics';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { loadCheckpointFile } from '../../src/rl/model/checkpoint-node';
import { train } from '../../src/rl/trainer';
import { shippedVocab } from './stage1-fixtures';

const GRPO = { groupSize: 3, promptsPerUpdate: 2, innerEpochs: 1 };
/** A large step, so the second minibatch's tokens leave the clip range. */
const OPTIMISER = { lr: 1e-2, warmupUpdates: 0 };

async function stage2Update(init: CheckpointState, minibatches: number): Promise<UpdateMetrics> {
  const metrics: UpdateMetrics[] = [];
  const be = await WasmBackend.create({ threads: 1 });
  await train({
    be,
    // The shipped stage-0 checkpoint's shape: its forecasts differ in grounded reward (a
    // barely trained tiny planner's all fail alike, and equal rewards give no gradient).
    settings: validateSettings({
      preset: 'quick-demo',
      grpo: { ...GRPO, minibatches },
      optimiser: OPTIMISER,
      run: { backend: 'wasm', evalEvery: 0, evalSize: 4, checkpointEvery: 0 },
    }),
    stage: 2,
    vocab: shippedVocab(),
    init,
    updates: 1,
    onMetrics: (m) => metrics.push(m),
  });
  be.destroy();
  return metrics[0];
}

describe('stage 2 minibatches', () => {
  let init: CheckpointState;
  beforeAll(async () => {
    init = await loadCheckpointFile('public/models/stage0.bin', { vocab: shippedVocab() });
  });

  it('with 2 minibatches the second step is off-policy: ratios move and clip', async () => {
    const m = await stage2Update(init, 2);
    expect(m.stage).toBe(2);
    expect(m.gradNorm).toBeGreaterThan(0);
    expect(m.ratioDeviation).toBeGreaterThan(1e-3);
    expect(m.clipFraction).toBeGreaterThan(0);
  });

  it('with 1 minibatch and 1 epoch the ratio stays 1 and nothing is clipped', async () => {
    const m = await stage2Update(init, 1);
    expect(m.ratioDeviation).toBeLessThan(1e-4);
    expect(m.clipFraction).toBe(0);
  });
});
