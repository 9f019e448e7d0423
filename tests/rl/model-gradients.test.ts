// Finite-difference check of the whole planner on the CPU backend (tiny config): for every
// parameter tensor, the analytic gradient of the mean SFT loss at its largest entries and
// at one random entry must match the central difference of the loss. Parameters are drawn
// larger than at init (std 0.2, non-zero biases, gains near 1) so every gradient, down to
// the box MLP's first layer, stands well above f32 rounding of the loss.
import { beforeAll, describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { PRESETS } from '../../src/rl/model/config';
import { Planner } from '../../src/rl/model/planner';
import { Rng } from '../../src/rng';
import { testVocab, worldBatch } from './model-fixtures';

const B = 2;
const EPS = 1e-2;
/** |fd − analytic| ≤ REL·|analytic| + ABS (ABS covers f32 rounding of the loss / 2ε). */
const REL = 3e-2;
const ABS = 5e-5;

const be = new CpuBackend();
let planner: Planner;
let params: Float32Array;
let grads: Float32Array;

async function loss(): Promise<number> {
  planner.forward();
  return (await be.read(planner.acts.loss))[0];
}

beforeAll(async () => {
  const config = { ...PRESETS.tiny, L: 2 };
  planner = new Planner(be, config, testVocab().size, B);
  const rng = new Rng(7);
  params = new Float32Array(planner.layout.size);
  for (const e of planner.layout.entries) {
    const gain = /ln.w$/.test(e.name);
    for (let i = 0; i < e.size; i++) params[e.offset + i] = (gain ? 1 : 0) + rng.normal(0, 0.2);
  }
  be.write(planner.flat.params, params);
  planner.writeBatch(worldBatch(config, B));
  planner.forward();
  planner.zeroGrad();
  planner.backward();
  grads = (await be.read(planner.flat.grads)) as Float32Array;
});

describe('planner gradients (finite differences, CPU)', () => {
  it('match the central difference of the loss for every parameter tensor', async () => {
    const rng = new Rng(11);
    const failures: string[] = [];
    let checked = 0;
    for (const e of planner.layout.entries) {
      const g = grads.subarray(e.offset, e.offset + e.size);
      const order = Array.from(g.keys()).sort((a, b) => Math.abs(g[b]) - Math.abs(g[a]));
      const picks = [order[0], order[1], rng.int(0, e.size - 1)];
      expect(Math.abs(g[order[0]]), `${e.name}: largest gradient`).toBeGreaterThan(1e-3);
      for (const i of picks) {
        const at = e.offset + i;
        const keep = params[at];
        params[at] = keep + EPS;
        be.write(planner.flat.params, params);
        const up = await loss();
        params[at] = keep - EPS;
        be.write(planner.flat.params, params);
        const down = await loss();
        params[at] = keep;
        const fd = (up - down) / (2 * EPS);
        const an = g[i];
        checked++;
        if (!(Math.abs(fd - an) <= REL * Math.abs(an) + ABS)) {
          failures.push(
            `${e.name}[${i}]: analytic ${an.toExponential(4)}, fd ${fd.toExponential(4)}`,
          );
        }
      }
    }
    be.write(planner.flat.params, params);
    expect(failures, `${failures.length} of ${checked} checks`).toEqual([]);
  });
});
