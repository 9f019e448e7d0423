// Stage 1 through the trainer: registration, one update on the CPU and WebGPU backends from
// the same warm start gives the same metrics, and the same seed on the same backend gives the
// same metrics.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import type { UpdateMetrics } from '../../src/rl/metrics';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { registeredStages, stageDefinition } from '../../src/rl/stages';
import { getGpuBackend } from '../kernels/gpu';
import { stage1, tinySettings, warmStart, withoutTiming, type Stage1Run } from './stage1-fixtures';

// Held-out prompts: one planner batch (B = G × prompts per update = 6), so each evaluation is
// one sampler call per decoding mode (ci-tiny's 8 took two, on the software GPU too).
const SETTINGS = tinySettings({
  grpo: { groupSize: 3, promptsPerUpdate: 2, innerEpochs: 2 },
  run: { evalSize: 6 },
});
/** Enough SFT that sampled forecasts differ in reward (a random policy scores 0 everywhere). */
const WARM_UPDATES = 40;

describe('stage 1 registration', () => {
  it('the trainer finds stage 1; its batch is G × prompts per update', () => {
    expect(registeredStages()).toContain(1);
    const def = stageDefinition(1);
    expect(def.stage).toBe(1);
    expect(def.batchSize(SETTINGS)).toBe(6);
  });
});

function expectClose(got: number, want: number, what: string, rel = 1e-3, abs = 1e-5): void {
  expect(Number.isFinite(got), `${what} is finite`).toBe(true);
  expect(Math.abs(got - want), `${what}: ${got} vs ${want}`).toBeLessThanOrEqual(
    abs + rel * Math.abs(want),
  );
}

describe('a stage-1 update', () => {
  let init: CheckpointState;
  let cpu: Stage1Run;
  beforeAll(async () => {
    init = await warmStart(SETTINGS, WARM_UPDATES);
    cpu = await stage1(new CpuBackend(), SETTINGS, init, 2);
  });

  it('learns from a group with different rewards: every statistic is live', () => {
    const m = cpu.metrics[1];
    expect(cpu.metrics.map((x) => x.update)).toEqual([1, 2]);
    expect(m.stage).toBe(1);
    expect(m.gradNorm).toBeGreaterThan(0);
    expect(m.kl).toBeGreaterThan(0); // the second update starts away from the reference
    expect(m.entropy).toBeGreaterThan(0);
    expect(m.entropy).toBeLessThan(Math.log(init.vocab.size));
    expect(m.rewardPerStep).toHaveLength(init.config.horizon);
    for (const c of ['alignment', 'format', 'coveragePenalty', 'lengthGuard', 'doneBonus'])
      expect(m.rewardComponents, c).toHaveProperty(c);
    expect(m.tokensPerSecond).toBeGreaterThan(0);
    expect(m.updatesPerSecond).toBeGreaterThan(0);
    const held = cpu.result.finalEvaluation!['held-out'];
    expect(held.prompts).toBe(SETTINGS.run.evalSize);
    expect(held).toHaveProperty('alignment@1');
  });

  it('samples the whole rollout batch first: with 2 minibatches ratios move and clip; with 1 minibatch and 1 epoch they do not', async () => {
    const grpo = { groupSize: 6, promptsPerUpdate: 2 };
    // A large step, so the second minibatch's tokens leave the clip range; groups of 6 so that
    // every group has forecasts of different rewards (nonzero advantages to clip).
    const optimiser = { lr: 1e-2, warmupUpdates: 0 };
    const split = tinySettings({ grpo: { ...grpo, innerEpochs: 1, minibatches: 2 }, optimiser });
    const single = tinySettings({ grpo: { ...grpo, innerEpochs: 1, minibatches: 1 }, optimiser });
    const a = (await stage1(new CpuBackend(), split, init, 1)).metrics[0];
    const b = (await stage1(new CpuBackend(), single, init, 1)).metrics[0];
    expect(a.ratioDeviation).toBeGreaterThan(1e-3);
    expect(a.clipFraction).toBeGreaterThan(0);
    expect(b.ratioDeviation).toBeLessThan(1e-4);
    expect(b.clipFraction).toBe(0);
  });

  it('the same seed on the same backend gives the same metrics (CPU)', async () => {
    const again = await stage1(new CpuBackend(), SETTINGS, init, 2);
    expect(again.metrics.map(withoutTiming)).toEqual(cpu.metrics.map(withoutTiming));
    expect(again.result.finalEvaluation).toEqual(cpu.result.finalEvaluation);
  });

  it('gives the same metrics on WebGPU as on the CPU, and again on a second WebGPU run', async () => {
    const gpu = await stage1(await getGpuBackend(), SETTINGS, init, 2);
    const pairs: [UpdateMetrics, UpdateMetrics][] = gpu.metrics.map((m, i) => [m, cpu.metrics[i]]);
    for (const [g, c] of pairs) {
      // Same uniforms and near-equal logits: the same forecasts, so the same rewards.
      expect(g.reward).toBe(c.reward);
      expect(g.rewardComponents).toEqual(c.rewardComponents);
      expect(g.rewardPerStep).toEqual(c.rewardPerStep);
      expectClose(g.loss, c.loss, `update ${c.update} loss`, 1e-2, 1e-4);
      expectClose(g.kl, c.kl, `update ${c.update} kl`, 1e-2, 1e-5);
      expectClose(g.entropy, c.entropy, `update ${c.update} entropy`);
      expectClose(g.gradNorm, c.gradNorm, `update ${c.update} gradNorm`, 1e-2);
      expect(g.clipFraction).toBeCloseTo(c.clipFraction, 6);
      expect(g.ratioDeviation!).toBeCloseTo(c.ratioDeviation!, 4);
    }
    const evaluation = (r: Stage1Run) => r.result.finalEvaluation!['held-out'].reward;
    expectClose(evaluation(gpu), evaluation(cpu), 'held-out reward', 1e-6);
    const again = await stage1(await getGpuBackend(), SETTINGS, init, 1);
    expect(withoutTiming(again.metrics[0])).toEqual(withoutTiming(gpu.metrics[0]));
  });
});
