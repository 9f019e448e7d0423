// Planner.forwardForecast (the GRPO forward: head and cross-entropy on the forecast rows only)
// must give forward()'s logp, loss and forecast-row logits and probs bit for bit, on the CPU
// reference and on wasm, in the tiny shape and in a wider one (other kernel tile paths), and
// the gradients of a backward after it must equal those after forward().
import { describe, expect, it } from 'vitest';
import type { Backend } from '../../src/kernels/backend';
import { CpuBackend } from '../../src/kernels/cpu';
import { WasmBackend } from '../../src/kernels/wasm';
import { PRESETS, type PlannerConfig } from '../../src/rl/model/config';
import { Planner } from '../../src/rl/model/planner';
import { Rng } from '../../src/rng';
import { testVocab, worldBatch } from './model-fixtures';

const B = 3;
const WIDE: PlannerConfig = { ...PRESETS.tiny, C: 64, NH: 4 };

interface Outputs {
  logp: Float32Array;
  loss: Float32Array;
  logits: Float32Array;
  probs: Float32Array;
  grads: Float32Array;
}

/** A planner's outputs after one forward of either kind and a backward of Σ logp. */
async function run(be: Backend, config: PlannerConfig, forecastOnly: boolean): Promise<Outputs> {
  const planner = new Planner(be, config, testVocab().size, B);
  planner.init(new Rng(3));
  planner.writeBatch(worldBatch(config, B, 7));
  if (forecastOnly) planner.forwardForecast();
  else planner.forward();
  const read = async (t: Parameters<Backend['read']>[0]) =>
    Float32Array.from((await be.read(t)) as Float32Array);
  const out = {
    logp: await read(planner.acts.logp),
    loss: await read(planner.acts.loss),
    logits: await read(planner.acts.logits),
    probs: await read(planner.acts.probs),
  };
  planner.zeroGrad();
  planner.backwardLogp(planner.acts.logp);
  const grads = await read(planner.flat.grads);
  planner.release();
  return { ...out, grads };
}

/** The forecast rows (positions P−1..T−1 of each sequence) of a (B·T, V) tensor. */
function forecastRowsOf(x: Float32Array, p: Planner['dims']): number[] {
  const out: number[] = [];
  for (let b = 0; b < B; b++)
    out.push(...x.subarray((b * p.T + p.P - 1) * p.V, (b * p.T + p.T) * p.V));
  return out;
}

describe('Planner.forwardForecast', () => {
  for (const [name, make] of [
    ['CPU reference', async () => new CpuBackend()],
    ['wasm', async () => WasmBackend.create({ threads: 1 })],
  ] as const) {
    for (const [shape, config] of [
      ['tiny', PRESETS.tiny],
      ['C=64', WIDE],
    ] as const) {
      it(`equals forward() bit for bit where it matters (${name}, ${shape})`, async () => {
        const be = await make();
        const full = await run(be, config, false);
        const fast = await run(be, config, true);
        const dims = new Planner(be, config, testVocab().size, 1).dims;
        expect(fast.logp).toEqual(full.logp);
        expect(fast.loss).toEqual(full.loss);
        expect(forecastRowsOf(fast.logits, dims)).toEqual(forecastRowsOf(full.logits, dims));
        expect(forecastRowsOf(fast.probs, dims)).toEqual(forecastRowsOf(full.probs, dims));
        expect(fast.grads).toEqual(full.grads);
        // Not vacuous: the batch has targets and the gradient is live.
        expect(full.logp.some((x) => x < 0)).toBe(true);
        expect(full.grads.some((x) => x !== 0)).toBe(true);
      });
    }
  }
});
