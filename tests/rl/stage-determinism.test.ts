// Behaviour pinned across runs: the same settings and seed give bit-identical metrics, held-out
// evaluations and weights through a few updates of stage 0, then stage 1 from its weights, then
// stage 2 from those (the trainer's whole chain from the shipped stage-0 checkpoint, on the
// backend the learning tests train on); another seed gives other numbers, so the comparison
// can fail.
import { describe, expect, it } from 'vitest';
import { validateSettings, type TrainSettings } from '../../src/rl/config/schema';
import type { Stage } from '../../src/rl/stage-list';
import { learningBackend, runStage, shippedStage0, type StageRun } from './learning-fixtures';
import { withoutTiming } from './stage1-fixtures';

const UPDATES: Record<Stage, number> = { 0: 2, 1: 2, 2: 2 };

/** The shipped checkpoint's shape (quick-demo) with small batches and evaluations. */
function settings(seed: number): TrainSettings {
  return validateSettings({
    preset: 'quick-demo',
    grpo: { groupSize: 4, promptsPerUpdate: 2, minibatches: 1 },
    data: { batchSize: 8 },
    run: { backend: 'wasm', seed, evalSize: 4, evalEvery: 0, checkpointEvery: 0 },
  });
}

/** Stages 0, 1 and 2 in a row, each from the weights the one before it ends with. */
async function chain(seed: number): Promise<StageRun[]> {
  const be = await learningBackend();
  const runs: StageRun[] = [];
  let init = await shippedStage0();
  for (const stage of [0, 1, 2] as const) {
    const run = await runStage(be, settings(seed), stage, init, UPDATES[stage]);
    runs.push(run);
    init = run.final;
  }
  return runs;
}

describe('the same settings and seed give the same run', () => {
  it('stages 0, 1 and 2: identical metrics, evaluations and weights; another seed differs', async () => {
    const a = await chain(11);
    const b = await chain(11);
    const c = await chain(12);
    for (const stage of [0, 1, 2] as const) {
      const [x, y, z] = [a[stage], b[stage], c[stage]];
      expect(x.metrics.map((m) => m.stage)).toEqual(Array(UPDATES[stage]).fill(stage));
      // A live update (a gradient to follow), not a batch where every reward tied.
      expect(
        x.metrics.some((m) => m.gradNorm > 0),
        `stage ${stage} learns`,
      ).toBe(true);
      expect(y.metrics.map(withoutTiming), `stage ${stage} metrics`).toEqual(
        x.metrics.map(withoutTiming),
      );
      expect(y.result.finalEvaluation, `stage ${stage} evaluation`).toEqual(
        x.result.finalEvaluation,
      );
      expect(y.final.tensors, `stage ${stage} weights`).toEqual(x.final.tensors);
      expect(
        z.metrics.map(withoutTiming),
        `stage ${stage}: seed 12 gives other metrics`,
      ).not.toEqual(x.metrics.map(withoutTiming));
    }
  });
});
