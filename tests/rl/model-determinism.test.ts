// Determinism: on one backend, the same seed gives bit-identical losses, parameters and
// samples; a different seed does not. Checked on the CPU reference and on WebGPU.
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { PRESETS } from '../../src/rl/model/config';
import { Planner, type OptimizerSettings } from '../../src/rl/model/planner';
import { repeatPrompts, Sampler } from '../../src/rl/model/sample';
import { Rng } from '../../src/rng';
import { getGpuBackend } from '../kernels/gpu';
import { testVocab, worldBatch, worldExamples } from './model-fixtures';

const CONFIG = PRESETS.tiny;
const B = 4;
const STEPS = 3;
const OPT: OptimizerSettings = { lr: 3e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.01 };

interface Outcome {
  losses: number[];
  params: Float32Array;
  ids: Int32Array;
  logp: Float32Array;
}

async function run(be: Backend, seed: number): Promise<Outcome> {
  const planner = new Planner(be, CONFIG, testVocab().size, B);
  planner.init(new Rng(seed));
  const batches = [worldBatch(CONFIG, B, 0), worldBatch(CONFIG, B, 20)];
  const losses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    planner.writeBatch(batches[s % 2]);
    planner.trainStep(OPT, 1);
    losses.push((await be.read(planner.acts.loss))[0]);
  }
  const params = (await be.read(planner.flat.params)) as Float32Array;
  const sampler = new Sampler(planner, testVocab());
  const prompts = repeatPrompts(
    worldExamples(CONFIG, B / 2).map((e) => e.prompt),
    2,
  );
  const { ids, logp } = await sampler.sample(
    prompts,
    { temperature: 1, topP: 0.9 },
    new Rng(seed + 100),
  );
  sampler.release();
  planner.release();
  return { losses, params, ids, logp };
}

async function expectDeterministic(be: Backend): Promise<void> {
  const a = await run(be, 1);
  const b = await run(be, 1);
  const c = await run(be, 2);
  expect(b.losses).toEqual(a.losses);
  expect(b.params).toEqual(a.params);
  expect(b.ids).toEqual(a.ids);
  expect(b.logp).toEqual(a.logp);
  expect(c.losses).not.toEqual(a.losses);
  expect(c.ids).not.toEqual(a.ids);
}

describe('planner determinism', () => {
  it('CPU: the same seed gives identical losses, parameters and samples', async () => {
    await expectDeterministic(new CpuBackend());
  });

  it('WebGPU: the same seed gives identical losses, parameters and samples', async () => {
    await expectDeterministic(await getGpuBackend());
  });
});
