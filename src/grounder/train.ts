// Training and evaluation of the grounder over any Backend: seeded shuffles, minibatches of B
// examples in E rows, forward → zero grads → backward → update, and accuracy per category.
import type { Backend } from '../kernels/backend';
import type { Vocab } from '../text/vocab';
import { Rng } from '../rng';
import type { GrounderDims } from './config';
import { CATEGORIES, type GroundingCategory } from './data';
import { packGrounding, type GroundingExample } from './examples';
import { GrounderModel, initGrounderParams } from './model';

export interface TrainSettings {
  steps: number;
  /** Examples per step. */
  batch: number;
  /**
   * Rows per example (elements plus the null row), ascending: each example goes in the first
   * bucket it fits, so small screens are not padded to the largest (the CPU step is ~linear
   * in rows). The last is the most elements the model trains on.
   */
  rows: readonly number[];
  lr: number;
  seed: number;
  weightDecay?: number;
}

export interface TrainProgress {
  step: number;
  loss: number;
}

/** Writes one packed batch into the model's input tensors. */
export function writeBatch(m: GrounderModel, vocab: Vocab, examples: readonly GroundingExample[]) {
  const b = packGrounding(vocab, m.d, examples, m.E);
  const x = m.inputs;
  const be = m.be;
  be.write(x.textIds, b.textIds);
  be.write(x.textWeights, b.textWeights);
  be.write(x.rowIds, b.rowIds);
  be.write(x.rowWeights, b.rowWeights);
  be.write(x.roleIds, b.roleIds);
  be.write(x.feats, b.feats);
  be.write(x.match, b.match);
  be.write(x.crop, b.crop);
  be.write(x.descIds, b.descIds);
  be.write(x.descWeights, b.descWeights);
  be.write(x.mask, b.mask);
  be.write(x.targets, b.targets);
}

/** Trains from a seeded init; returns the parameter region (layout order) and the model. */
export async function trainGrounder(
  be: Backend,
  vocab: Vocab,
  d: GrounderDims,
  data: readonly GroundingExample[],
  s: TrainSettings,
  onProgress?: (p: TrainProgress) => void,
): Promise<{ model: GrounderModel; weights: Float32Array }> {
  const rng = new Rng(s.seed);
  const models: GrounderModel[] = [];
  for (const E of s.rows) models.push(new GrounderModel(be, d, s.batch, E, models[0]));
  const buckets = s.rows.map(() => [] as GroundingExample[]);
  for (const x of data) {
    const k = s.rows.findIndex((E) => x.screen.n <= E - 1);
    if (k >= 0) buckets[k].push(x);
  }
  be.write(models[0].flat.params, initGrounderParams(models[0].layout, rng.fork(1)));
  const order = rng.fork(2);
  // One epoch: every bucket shuffled and cut into whole batches, the batches shuffled.
  const epoch = () =>
    order.shuffle(
      buckets.flatMap((xs, k) => {
        const perm = order.shuffle(xs);
        const out: [number, GroundingExample[]][] = [];
        for (let at = 0; at + s.batch <= perm.length; at += s.batch)
          out.push([k, perm.slice(at, at + s.batch)]);
        return out;
      }),
    );
  let batches = epoch();
  if (batches.length === 0) throw new Error(`grounder: too few examples for a batch of ${s.batch}`);
  let at = 0;
  let m = models[0];
  for (let step = 1; step <= s.steps; step++) {
    if (at === batches.length) {
      batches = epoch();
      at = 0;
    }
    const [k, examples] = batches[at++];
    m = models[k];
    writeBatch(m, vocab, examples);
    // Cosine decay to 10 % after a short warm-up.
    const warm = Math.min(1, step / 50);
    const cos = 0.55 + 0.45 * Math.cos((Math.PI * step) / s.steps);
    m.forward();
    m.zeroGrad();
    m.backward();
    m.update(s.lr * warm * cos, step, 1, s.weightDecay ?? 0);
    if (onProgress && (step % 50 === 0 || step === s.steps)) {
      const losses = (await be.read(m.acts.losses)) as Float32Array;
      onProgress({ step, loss: losses.reduce((a, b) => a + b, 0) / losses.length });
    }
  }
  const weights = (await be.read(m.flat.params)) as Float32Array;
  return { model: models[models.length - 1], weights };
}

export interface CategoryScore {
  n: number;
  correct: number;
  accuracy: number;
}

export type Evaluation = Record<GroundingCategory | 'all', CategoryScore>;

/** Top-1 accuracy per category (the null row counts as the answer for off-screen targets). */
export async function evaluateGrounder(
  m: GrounderModel,
  vocab: Vocab,
  data: readonly GroundingExample[],
): Promise<Evaluation> {
  const tally = Object.fromEntries(
    [...CATEGORIES, 'all'].map((c) => [c, { n: 0, correct: 0, accuracy: 0 }]),
  ) as Evaluation;
  const usable = data.filter((x) => x.target < m.E - 1 && x.screen.n <= m.E - 1);
  for (let at = 0; at < usable.length; at += m.B) {
    const chunk = usable.slice(at, at + m.B);
    // Fill a short last batch with repeats (ignored below).
    const full = [...chunk];
    while (full.length < m.B) full.push(chunk[0]);
    writeBatch(m, vocab, full);
    m.forward();
    const probs = (await m.be.read(m.acts.probs)) as Float32Array;
    chunk.forEach((x, b) => {
      let best = 0;
      for (let e = 1; e < m.E; e++) if (probs[b * m.E + e] > probs[b * m.E + best]) best = e;
      const want = x.target >= 0 ? x.target : m.E - 1;
      for (const c of [x.category, 'all'] as const) {
        tally[c].n++;
        if (best === want) tally[c].correct++;
      }
    });
  }
  for (const c of Object.values(tally)) c.accuracy = c.n ? c.correct / c.n : 0;
  return tally;
}
