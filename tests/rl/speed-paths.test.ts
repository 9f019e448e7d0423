// The training step's shortcuts must not change a number, on the CPU reference and on wasm:
// the backward's head gradient on the forecast rows only gives the full backward's gradients,
// an SFT step with the forecast-row forward gives the full step's loss and weights, and a
// sampler that stops once every row has sampled <eos> gives every row's forecast and
// log-probs, all bit for bit.
import { describe, expect, it } from 'vitest';
import type { Backend, Tensor } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { WasmBackend } from '../../src/kernels/wasm';
import { plannerBackward } from '../../src/rl/model/backward';
import { PRESETS, type PlannerConfig } from '../../src/rl/model/config';
import { Planner } from '../../src/rl/model/planner';
import { repeatPrompts, Sampler, type SampleResult } from '../../src/rl/model/sample';
import { Rng } from '../../src/rng';
import { testVocab, worldBatch, worldExamples } from './model-fixtures';

const WIDE: PlannerConfig = { ...PRESETS.tiny, C: 64, NH: 4 };
const BACKENDS = [
  ['CPU reference', async (): Promise<Backend> => new CpuBackend()],
  ['wasm', async (): Promise<Backend> => WasmBackend.create({ threads: 1 })],
] as const;

async function readF32(be: Backend, t: Tensor): Promise<Float32Array> {
  return Float32Array.from((await be.read(t)) as Float32Array);
}

describe('GRPO backward with the head gradient on the forecast rows', () => {
  /** Gradients of Σ logp after forwardForecast, with or without the forecast rows. */
  async function grads(be: Backend, config: PlannerConfig, rows: boolean): Promise<Float32Array> {
    const B = 3;
    const planner = new Planner(be, config, testVocab().size, B);
    planner.init(new Rng(3));
    planner.writeBatch(worldBatch(config, B, 7));
    planner.forwardForecast();
    planner.zeroGrad();
    be.scale(planner.dacts.dlosses, planner.acts.logp, -1);
    plannerBackward(planner, planner.dacts.dlosses, rows ? planner.forecast : null);
    const out = await readF32(be, planner.flat.grads);
    planner.release();
    return out;
  }

  for (const [name, make] of BACKENDS) {
    for (const [shape, config] of [
      ['tiny', PRESETS.tiny],
      ['C=64', WIDE],
    ] as const) {
      it(`equals the full backward bit for bit (${name}, ${shape})`, async () => {
        const be = await make();
        const full = await grads(be, config, false);
        const fast = await grads(be, config, true);
        expect(fast).toEqual(full);
        expect(full.some((x) => x !== 0)).toBe(true);
      });
    }
  }
});

describe('SFT step with the head on the forecast rows', () => {
  const OPT = { lr: 1e-3, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0.01 };

  /** A packed batch, or one with an extra target on a prompt row (where packBatch puts none). */
  function batchOf(config: PlannerConfig, B: number, seed: number, promptTarget: boolean) {
    const batch = worldBatch(config, B, seed);
    if (promptTarget) {
      batch.targets[2] = 5;
      batch.validTargets += 1;
    }
    return batch;
  }

  /** Parameters and loss after two steps: trainStep, or the full forward and backward. */
  async function twoSteps(be: Backend, config: PlannerConfig, fast: boolean, promptTarget = false) {
    const B = 3;
    const planner = new Planner(be, config, testVocab().size, B);
    planner.init(new Rng(3));
    const losses: number[] = [];
    for (const seed of [7, 8]) {
      planner.writeBatch(batchOf(config, B, seed, promptTarget));
      if (fast) {
        planner.trainStep(OPT, 1);
      } else {
        planner.forward();
        planner.zeroGrad();
        plannerBackward(planner, planner.inputs.dlossMean, null);
        planner.clip(1);
        planner.update(OPT);
      }
      losses.push((await readF32(be, planner.acts.loss))[0]);
    }
    const params = await readF32(be, planner.flat.params);
    planner.release();
    return { losses, params };
  }

  for (const [name, make] of BACKENDS) {
    it(`trainStep equals forward() and the full backward bit for bit (${name}, C=64)`, async () => {
      const be = await make();
      const full = await twoSteps(be, WIDE, false);
      const fast = await twoSteps(be, WIDE, true);
      expect(fast.losses).toEqual(full.losses);
      expect(fast.params).toEqual(full.params);
      expect(full.losses[0]).toBeGreaterThan(0);
    });
  }

  it('takes the full head where a batch has a target on a prompt row (wasm)', async () => {
    const be = await WasmBackend.create({ threads: 1 });
    const full = await twoSteps(be, WIDE, false, true);
    const fast = await twoSteps(be, WIDE, true, true);
    expect(fast.losses).toEqual(full.losses);
    expect(fast.params).toEqual(full.params);
  });
});

describe('sampling that stops once every row has ended', () => {
  const G = 3;
  const PROMPTS = 2;
  const B = G * PROMPTS;

  /**
   * A planner whose head favours <eos> (p ≈ 0.3 per step, whatever the context): lnf is the
   * constant unit vector e0 (lnfw = 0, lnfb = e0), so logit v = wte[v][0]; rows then end at
   * different steps, all well before F.
   */
  function eosLeaning(be: Backend): Planner {
    const vocab = testVocab();
    const planner = new Planner(be, PRESETS.tiny, vocab.size, B);
    planner.init(new Rng(21));
    const { C, V } = planner.dims;
    be.write(planner.params.lnfw, new Float32Array(C));
    const e0 = new Float32Array(C);
    e0[0] = 1;
    be.write(planner.params.lnfb, e0);
    const wte = new Float32Array(V * C);
    const rng = new Rng(4);
    for (let i = 0; i < wte.length; i++) wte[i] = rng.normal(0, 0.02);
    wte[vocab.eos * C] = Math.log((0.3 / 0.7) * (V - 1));
    be.write(planner.params.wte, wte);
    return planner;
  }

  async function sampleBoth(be: Backend): Promise<{ all: SampleResult; stop: SampleResult }> {
    const rows = repeatPrompts(
      worldExamples(PRESETS.tiny, PROMPTS).map((e) => e.prompt),
      G,
    );
    const s = { temperature: 1, topP: 1 };
    const planner = eosLeaning(be);
    const all = await new Sampler(planner, testVocab(), { groupSize: G }).sample(
      rows,
      s,
      new Rng(5),
    );
    const stopper = new Sampler(planner, testVocab(), { groupSize: G, stopAtEos: true });
    const stop = await stopper.sample(rows, s, new Rng(5));
    return { all, stop };
  }

  for (const [name, make] of BACKENDS) {
    it(`gives every row's forecast and log-probs bit for bit, in fewer steps (${name})`, async () => {
      const { all, stop } = await sampleBoth(await make());
      const { F } = all;
      expect(all.steps).toBe(F);
      expect(stop.lengths).toEqual(all.lengths);
      const longest = Math.max(...stop.lengths);
      expect(stop.steps).toBe(longest);
      expect(longest).toBeLessThan(F);
      // Rows end at different steps: the stop waits for the last one.
      expect(Math.min(...stop.lengths)).toBeLessThan(longest);
      for (let b = 0; b < B; b++) {
        const row = (r: SampleResult, x: Int32Array | Float32Array) =>
          Array.from(x.subarray(b * F, b * F + r.lengths[b]));
        expect(row(stop, stop.ids), `row ${b}`).toEqual(row(all, all.ids));
        expect(row(stop, stop.logp), `row ${b}`).toEqual(row(all, all.logp));
        // Never sampled: <eos> and log-prob 0.
        for (let j = stop.steps; j < F; j++) {
          expect(stop.ids[b * F + j]).toBe(testVocab().eos);
          expect(stop.logp[b * F + j]).toBe(0);
        }
      }
    });
  }
});
