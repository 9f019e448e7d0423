// The frozen reference policy of the KL term: a second planner holding the weights the stage
// started from (the stage-0 checkpoint for stage 1), run forward only. It never takes a
// gradient step, so its gradient and moment regions stay untouched (the Planner allocates
// them anyway: one code path for both; the cost is memory, not time).
import type { Backend, Tensor } from '../../kernels/backend';
import { restoreCheckpoint, type CheckpointState } from '../model/checkpoint';
import type { PlannerBatch } from '../model/encode';
import { Planner } from '../model/planner';

export class ReferencePolicy {
  readonly planner: Planner;

  constructor(be: Backend, weights: CheckpointState, B: number) {
    this.planner = new Planner(be, weights.config, weights.vocab.size, B);
    restoreCheckpoint(this.planner, weights);
  }

  /** Records the forward over `batch`; returns logp (B·T) of its targets (0 where −1). */
  logp(batch: PlannerBatch): Tensor {
    this.planner.writeBatch(batch);
    this.planner.forwardForecast();
    return this.planner.acts.logp;
  }

  release(): void {
    this.planner.release();
  }
}
