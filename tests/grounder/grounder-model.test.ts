// The grounder model over Backend ops: every parameter's gradient against finite differences,
// padding rows get zero probability, and a few steps of training fit a tiny data set.
import { describe, expect, it } from 'vitest';
import { CpuBackend } from '../../src/kernels/cpu';
import { vocabFrom } from '../../src/text/vocab';
import { Rng } from '../../src/rng';
import { grounderDims, type GrounderConfig } from '../../src/grounder/config';
import type { GroundingExample } from '../../src/grounder/examples';
import { GrounderModel, initGrounderParams, PARAM_NAMES } from '../../src/grounder/model';
import { trainGrounder, writeBatch } from '../../src/grounder/train';

const vocab = vocabFrom([], ['Delete', 'Save', 'Wifi', 'button', 'row']);
const cfg: GrounderConfig = {
  C: 6,
  textTokens: 3,
  rowTokens: 4,
  descTokens: 5,
  cropSize: 2,
  cropHidden: 5,
  boxHidden: 4,
  scoreHidden: 7,
};
const d = grounderDims(cfg, vocab.size);

function randomExample(rng: Rng, n: number, target: number): GroundingExample {
  const ids = (k: number) => Int32Array.from({ length: k }, () => rng.int(0, vocab.size - 1));
  const weights = (k: number) => Float32Array.from({ length: k }, () => rng.uniform(0, 0.5));
  const floats = (k: number) => Float32Array.from({ length: k }, () => rng.uniform(0, 1));
  return {
    screen: {
      n,
      textIds: ids(n * d.W),
      textWeights: weights(n * d.W),
      rowIds: ids(n * d.RW),
      rowWeights: weights(n * d.RW),
      roleIds: ids(n),
      feats: floats(n * d.BF),
      crop: floats(n * d.CROP),
    },
    desc: { ids: ids(d.D), weights: weights(d.D) },
    match: floats(n * d.MF),
    target,
    category: 'plain',
    description: '',
    source: '',
    labels: [],
  };
}

describe('grounder model', () => {
  it('matches finite differences for every parameter tensor', async () => {
    const be = new CpuBackend();
    const rng = new Rng(7);
    const m = new GrounderModel(be, d, 3, 5);
    be.write(m.flat.params, initGrounderParams(m.layout, rng.fork(1)));
    // Example 1's target is off screen (the null row); example 2 has padding rows.
    writeBatch(m, vocab, [
      randomExample(rng, 4, 2),
      randomExample(rng, 3, -1),
      randomExample(rng, 2, 1),
    ]);
    const loss = async () => {
      m.forward();
      const l = (await be.read(m.acts.losses)) as Float32Array;
      return l.reduce((a, b) => a + b, 0) / l.length;
    };
    await loss();
    m.zeroGrad();
    m.backward();
    const grads = (await be.read(m.flat.grads)) as Float32Array;
    const params = (await be.read(m.flat.params)) as Float32Array;
    const pick = rng.fork(9);
    for (const name of PARAM_NAMES) {
      const e = m.layout.entry(name);
      let checked = 0;
      for (let k = 0; k < 6; k++) {
        const i = e.offset + pick.int(0, e.size - 1);
        const h = 1e-2;
        const p = Float32Array.from(params);
        p[i] = params[i] + h;
        be.write(m.flat.params, p);
        const up = await loss();
        p[i] = params[i] - h;
        be.write(m.flat.params, p);
        const down = await loss();
        const fd = (up - down) / (2 * h);
        expect(grads[i], `${name}[${i - e.offset}]`).toBeCloseTo(fd, 3);
        if (Math.abs(fd) > 1e-6) checked++;
      }
      be.write(m.flat.params, params);
      // wte rows are mostly unused by a small batch; every other tensor must show gradient.
      if (name !== 'wte' && name !== 'box1b') expect(checked, name).toBeGreaterThan(0);
    }
  });

  it('gives padding rows zero probability and the null row the last place', async () => {
    const be = new CpuBackend();
    const rng = new Rng(3);
    const m = new GrounderModel(be, d, 2, 6);
    be.write(m.flat.params, initGrounderParams(m.layout, rng));
    writeBatch(m, vocab, [randomExample(rng, 2, 0), randomExample(rng, 5, -1)]);
    m.forward();
    const probs = (await be.read(m.acts.probs)) as Float32Array;
    expect([...probs.slice(2, 5)]).toEqual([0, 0, 0]);
    expect(probs[5]).toBeGreaterThan(0);
    expect(probs.slice(6).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const targets = (await be.read(m.inputs.targets)) as Int32Array;
    expect([...targets]).toEqual([0, 5]);
  });

  it('fits a tiny data set (loss falls, seeded runs agree)', async () => {
    const rng = new Rng(11);
    const data = Array.from({ length: 16 }, (_, i) => randomExample(rng, 3 + (i % 3), (i % 4) - 1));
    const run = async () => {
      const losses: number[] = [];
      const { weights } = await trainGrounder(
        new CpuBackend(),
        vocab,
        d,
        data,
        { steps: 200, batch: 8, rows: [4, 6], lr: 1e-2, seed: 5 },
        (p) => losses.push(p.loss),
      );
      return { losses, weights };
    };
    const a = await run();
    const b = await run();
    expect(a.losses[a.losses.length - 1]).toBeLessThan(0.5 * a.losses[0]);
    expect(b.weights).toEqual(a.weights);
  });
});
