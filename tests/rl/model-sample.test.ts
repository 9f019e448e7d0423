// KV-cache sampling: the log-probs it reports for the tokens it sampled must equal those of a
// full teacher-forced forward over the same sequences (CPU and WebGPU), greedy decoding of a
// planner overfitted on a batch must write the reference forecasts, and sampling is a pure
// function of the seed.
import { beforeAll, describe, expect, it } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { WasmBackend } from '../../src/kernels/wasm';
import { PRESETS } from '../../src/rl/model/config';
import { packBatch } from '../../src/rl/model/encode';
import { Planner } from '../../src/rl/model/planner';
import { repeatPrompts, Sampler, type SampleResult } from '../../src/rl/model/sample';
import { Rng } from '../../src/rng';
import { getGpuBackend } from '../kernels/gpu';
import { testVocab, worldExamples } from './model-fixtures';

const CONFIG = PRESETS.tiny;
const PROMPTS = 2;
const G = 2;
const B = PROMPTS * G;
/** |logp(kv) − logp(full)|: same ops on one row instead of T rows; f32 rounding only. */
const LOGP_TOL = 2e-4;

/** Teacher-forced log-probs (B, F) of the sampled ids, from one full forward. */
async function fullForwardLogp(planner: Planner, r: SampleResult): Promise<Float32Array> {
  const { P, T, F } = planner.dims;
  const prompts = repeatPrompts(
    worldExamples(CONFIG, PROMPTS).map((e) => e.prompt),
    G,
  );
  const examples = prompts.map((prompt, b) => ({
    prompt,
    forecast: Array.from(r.ids.subarray(b * F, (b + 1) * F)),
  }));
  planner.writeBatch(packBatch(planner.dims, testVocab(), examples));
  planner.forward();
  const logp = (await planner.be.read(planner.acts.logp)) as Float32Array;
  const out = new Float32Array(B * F);
  for (let b = 0; b < B; b++) {
    for (let j = 0; j < F; j++) out[b * F + j] = logp[b * T + P - 1 + j];
  }
  return out;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i] - b[i]));
  return worst;
}

async function kvMatchesFull(be: Backend): Promise<void> {
  const planner = new Planner(be, CONFIG, testVocab().size, B);
  planner.init(new Rng(21));
  const sampler = new Sampler(planner, testVocab());
  const prompts = repeatPrompts(
    worldExamples(CONFIG, PROMPTS).map((e) => e.prompt),
    G,
  );
  const r = await sampler.sample(prompts, { temperature: 1, topP: 1 }, new Rng(5));
  expect(r.ids.every((id) => id >= 0 && id < testVocab().size)).toBe(true);
  // A random policy spreads its mass: the sampled log-probs are far from 0.
  expect(r.logp.reduce((s, x) => s + x, 0) / r.logp.length).toBeLessThan(-3);
  const full = await fullForwardLogp(planner, r);
  expect(maxAbsDiff(r.logp, full)).toBeLessThanOrEqual(LOGP_TOL);
  sampler.release();
  planner.release();
}

describe('KV-cache sampling', () => {
  it('reports the same log-probs as a full forward over the sampled sequences (CPU)', async () => {
    await kvMatchesFull(new CpuBackend());
  });

  it('reports the same log-probs as a full forward over the sampled sequences (WebGPU)', async () => {
    await kvMatchesFull(await getGpuBackend());
  });

  describe('on a planner overfitted to one batch (CPU)', () => {
    const be = new CpuBackend();
    let planner: Planner;
    let sampler: Sampler;
    const examples = worldExamples(CONFIG, PROMPTS);
    const prompts = repeatPrompts(
      examples.map((e) => e.prompt),
      G,
    );

    beforeAll(() => {
      planner = new Planner(be, CONFIG, testVocab().size, B);
      planner.init(new Rng(2));
      const batch = packBatch(
        planner.dims,
        testVocab(),
        prompts.map((prompt, b) => ({ prompt, forecast: examples[Math.floor(b / G)].forecast })),
      );
      planner.writeBatch(batch);
      const opt = { lr: 1e-2, beta1: 0.9, beta2: 0.95, eps: 1e-8, weightDecay: 0 };
      for (let s = 0; s < 80; s++) planner.trainStep(opt, 1);
      sampler = new Sampler(planner, testVocab());
    });

    it('greedy decoding writes the reference forecasts', async () => {
      const r = await sampler.sample(prompts, { temperature: 0, topP: 1 }, new Rng(1));
      for (let b = 0; b < B; b++) {
        // Cut to the F-token budget, as packBatch cut the training targets.
        const want = examples[Math.floor(b / G)].forecast.slice(0, r.F);
        expect(r.lengths[b], `row ${b} length`).toBe(want.length);
        expect(Array.from(r.ids.subarray(b * r.F, b * r.F + want.length)), `row ${b}`).toEqual(
          want,
        );
      }
    });

    it('the same seed gives the same samples; another seed differs', async () => {
      const settings = { temperature: 1.5, topP: 1 };
      const a = await sampler.sample(prompts, settings, new Rng(7));
      const again = await sampler.sample(prompts, settings, new Rng(7));
      const other = await sampler.sample(prompts, settings, new Rng(8));
      expect(again.ids).toEqual(a.ids);
      expect(again.logp).toEqual(a.logp);
      expect(other.ids).not.toEqual(a.ids);
    });
  });
});

describe('group sampling (trunk once per distinct prompt)', () => {
  /** Samples of the same prompts, seed and weights from a plain and a grouped sampler. */
  async function bothWays(be: Backend, rows: ReturnType<typeof repeatPrompts>) {
    // Two planners with the same weights, so neither sampler finds the other's cache.
    const planner = () => {
      const p = new Planner(be, CONFIG, testVocab().size, B);
      p.init(new Rng(21));
      return p;
    };
    const s = { temperature: 1, topP: 1 };
    const plain = await new Sampler(planner(), testVocab()).sample(rows, s, new Rng(5));
    const grouped = new Sampler(planner(), testVocab(), { groupSize: G });
    const got = await grouped.sample(rows, s, new Rng(5));
    return { plain, got };
  }

  const prompts = () => worldExamples(CONFIG, PROMPTS).map((e) => e.prompt);

  for (const [name, make] of [
    ['CPU reference', async () => new CpuBackend()],
    ['wasm', async () => WasmBackend.create({ threads: 1 })],
  ] as const) {
    it(`gives the plain sampler's ids and log-probs bit for bit (${name})`, async () => {
      const { plain, got } = await bothWays(await make(), repeatPrompts(prompts(), G));
      expect(got.ids).toEqual(plain.ids);
      expect(got.logp).toEqual(plain.logp);
      expect(got.lengths).toEqual(plain.lengths);
    });
  }

  it('also with one prompt in every row, and with all rows distinct (the full trunk)', async () => {
    const [a, b] = prompts();
    for (const rows of [
      [a, a, a, a],
      [a, b, b, a],
    ]) {
      const { plain, got } = await bothWays(new CpuBackend(), rows);
      expect(got.ids).toEqual(plain.ids);
      expect(got.logp).toEqual(plain.logp);
    }
  });

  it('refuses a group size that does not divide the batch', () => {
    const planner = new Planner(new CpuBackend(), CONFIG, testVocab().size, B);
    expect(() => new Sampler(planner, testVocab(), { groupSize: 3 })).toThrow(/group size 3/);
  });
});
