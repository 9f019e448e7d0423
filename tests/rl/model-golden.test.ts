// Golden model test, in the manner of llm.c's test_gpt2.c: the planner on the WebGPU backend
// and on the wasm backend, each against the CPU reference, from the same parameters and the same seeded batch of real
// observations, must agree on the logits, the per-token log-probs, the loss and EVERY
// gradient tensor, and then on the losses of a few training steps.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { maxRelativeError } from '../../src/kernels/selftest';
import { WasmBackend } from '../../src/kernels/wasm';
import { PRESETS } from '../../src/rl/model/config';
import { Planner, type OptimizerSettings } from '../../src/rl/model/planner';
import { Rng } from '../../src/rng';
import { getGpuBackend } from '../kernels/gpu';
import { testVocab, worldBatch } from './model-fixtures';

const B = 3;
const CONFIG = PRESETS.tiny;
/**
 * Max relative error (with a floor of 1% of the tensor's largest value, as the self-test).
 * f32 on the GPU against f64 accumulation on the CPU; on SwiftShader the worst seen is about
 * 1e-5 for logits and 3e-5 for a gradient tensor. A dropped or doubled term is off by O(1).
 */
const LOGITS_TOL = 2e-4;
const GRAD_TOL = 1e-3;
const LOSS_TOL = 1e-4;
const STEPS = 4;
const OPT: OptimizerSettings = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.01 };

interface Result {
  logits: Float32Array;
  logp: Float32Array;
  loss: number;
  grads: Map<string, Float32Array>;
  stepLosses: number[];
}

async function run(be: Backend): Promise<Result> {
  const planner = new Planner(be, CONFIG, testVocab().size, B);
  planner.init(new Rng(3));
  planner.writeBatch(worldBatch(CONFIG, B, 5));
  planner.forward();
  planner.zeroGrad();
  planner.backward();
  const logits = (await be.read(planner.acts.logits)) as Float32Array;
  const logp = (await be.read(planner.acts.logp)) as Float32Array;
  const loss = (await be.read(planner.acts.loss))[0];
  const grads = await planner.readRegion('grads');
  const stepLosses: number[] = [];
  for (let s = 0; s < STEPS; s++) {
    planner.trainStep(OPT, 1);
    stepLosses.push((await be.read(planner.acts.loss))[0]);
  }
  planner.release();
  return { logits, logp, loss, grads, stepLosses };
}

const results: Record<string, Result> = {};
let cpu: Result;

beforeAll(async () => {
  results.WebGPU = await run(await getGpuBackend());
  results.wasm = await run(await WasmBackend.create());
  results['wasm, 2 threads'] = await run(await WasmBackend.create({ threads: 2 }));
  cpu = await run(new CpuBackend());
});

describe.each(['WebGPU', 'wasm', 'wasm, 2 threads'])('planner golden test: %s vs CPU', (kind) => {
  let gpu: Result;
  beforeAll(() => {
    gpu = results[kind];
  });

  it('agrees on the logits and the token log-probs', () => {
    expect(maxRelativeError(gpu.logits, cpu.logits)).toBeLessThanOrEqual(LOGITS_TOL);
    expect(maxRelativeError(gpu.logp, cpu.logp)).toBeLessThanOrEqual(LOGITS_TOL);
  });

  it('agrees on the loss', () => {
    expect(cpu.loss).toBeGreaterThan(1);
    expect(Math.abs(gpu.loss - cpu.loss)).toBeLessThanOrEqual(LOSS_TOL * cpu.loss);
  });

  it('agrees on every gradient tensor', () => {
    const worst: Record<string, number> = {};
    for (const [name, want] of cpu.grads) {
      worst[name] = maxRelativeError(gpu.grads.get(name)!, want);
      expect(
        want.some((x) => x !== 0),
        `${name}: CPU gradient is all zero`,
      ).toBe(true);
    }
    const bad = Object.entries(worst).filter(([, e]) => !(e <= GRAD_TOL));
    expect(bad, 'tensors whose gradients differ').toEqual([]);
  });

  it('agrees on the losses of a few training steps, which fall', () => {
    for (let s = 0; s < STEPS; s++) {
      expect(Math.abs(gpu.stepLosses[s] - cpu.stepLosses[s]), `step ${s}`).toBeLessThanOrEqual(
        1e-3 * cpu.stepLosses[s],
      );
    }
    expect(cpu.stepLosses[STEPS - 1]).toBeLessThan(cpu.stepLosses[0]);
  });
});
