// The run whose numbers stage1-pinned.test.ts holds fixed: three stage-1 updates of ci-tiny
// with 2 minibatches and 2 inner epochs (every path of an update: whole rollout batch sampled
// first, groups of G, off-policy steps) from the shared seeded warm start, plus the prompts
// of the training data stream. A speed change to sampling, the data or the update must leave
// every one of these values identical, bit for bit.
import type { Backend } from '../../src/kernels/backend';
import { plannerConfigOf } from '../../src/rl/config/schema';
import { PromptSource } from '../../src/rl/data/prompts';
import { streamRng } from '../../src/rl/data/streams';
import type { UpdateMetrics } from '../../src/rl/metrics';
import type { CheckpointState } from '../../src/rl/model/checkpoint';
import { STAGE } from '../../src/rl/stage-list';
import { shippedVocab, stage1, tinySettings, withoutTiming } from './stage1-fixtures';

export const PINNED_SETTINGS = tinySettings({
  grpo: { groupSize: 3, promptsPerUpdate: 2, minibatches: 2, innerEpochs: 2 },
});
export const PINNED_UPDATES = 3;
export const PINNED_WARM_UPDATES = 40;
export const PINNED_FILE = 'tests/rl/fixtures/stage1-pinned.json';

/** Each update's training prompts as `suite/template/seed@t`, drawn as stage 1 draws them. */
export function pinnedPrompts(): string[][] {
  const s = PINNED_SETTINGS;
  const source = new PromptSource(s.data, shippedVocab(), plannerConfigOf(s));
  const count = s.grpo.promptsPerUpdate * s.grpo.minibatches;
  return Array.from({ length: PINNED_UPDATES }, (_, i) =>
    source
      .sample(streamRng(s.run.seed, STAGE.trajectory, i + 1, 'data'), count)
      .map((p) => `${p.suite}/${p.template}/${p.seed}@${p.t}`),
  );
}

/** The metrics of the pinned updates and the final held-out evaluation on `be`. */
export async function pinnedMetrics(
  be: Backend,
  init: CheckpointState,
): Promise<{ metrics: Partial<UpdateMetrics>[]; evaluation: unknown }> {
  const run = await stage1(be, PINNED_SETTINGS, init, PINNED_UPDATES);
  return {
    metrics: run.metrics.map(withoutTiming),
    evaluation: run.result.finalEvaluation,
  };
}
