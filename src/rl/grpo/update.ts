// One GRPO optimisation on a scored rollout batch, shared by stage 1 (trajectory reward) and
// any stage that scores forecasts another way. The rollout batch is sampled whole by the policy
// before any step, then split into minibatches (each a whole number of groups, as the planner's
// batch B holds), and every inner epoch takes one gradient step per minibatch, as PPO and
// EasyR1 do. Reads top to bottom; records only, never waits:
//
//   reset stats → per inner epoch, per minibatch: upload rewards, old logp, mask → advantages
//   → reference logp (frozen) → forward → token loss (+ stats) → zero grads → backward → clip
//   → AdamW
//
// The first step runs the policy that sampled (ratio = 1 up to f32 rounding between the
// KV-cache and full forwards); every later step sees the samples after one or more updates,
// so ratio ≠ 1 and the clip matters. The caller reads the stats once with loss.read().
import type { OptimizerSettings, Planner } from '../model/planner';
import type { GrpoLoss, GrpoLossSettings } from './loss';
import type { LossNormalisation } from './math';
import type { ReferencePolicy } from './reference';
import type { Rollout } from './rollout';

export interface GrpoUpdateSettings extends GrpoLossSettings {
  innerEpochs: number;
  gradClip: number;
  normalisation: LossNormalisation;
  optimizer: OptimizerSettings;
}

/** One minibatch of a rollout batch: its samples and their rewards. */
export interface Minibatch {
  rollout: Rollout;
  rewards: Float32Array;
}

/** innerEpochs × minibatches.length gradient steps over a rollout batch sampled beforehand. */
export function grpoMinibatchUpdate(
  policy: Planner,
  reference: ReferencePolicy,
  loss: GrpoLoss,
  minibatches: readonly Minibatch[],
  s: GrpoUpdateSettings,
): void {
  if (minibatches.length === 0) throw new Error('grpoMinibatchUpdate: no minibatch');
  loss.reset();
  for (let epoch = 0; epoch < s.innerEpochs; epoch++) {
    for (const { rollout, rewards } of minibatches) {
      loss.upload(rollout, rewards, s.normalisation);
      loss.advantages(rollout.G);
      const logpRef = reference.logp(rollout.batch);
      policy.writeBatch(rollout.batch);
      policy.forwardForecast();
      if (epoch === 0) loss.entropy();
      loss.tokenLoss(logpRef, s);
      policy.zeroGrad();
      policy.backwardLogp(loss.dlogp);
      policy.clip(s.gradClip);
      loss.gradNorm();
      policy.update(s.optimizer);
    }
  }
}

/** The update with the whole rollout as one minibatch. */
export function grpoUpdate(
  policy: Planner,
  reference: ReferencePolicy,
  loss: GrpoLoss,
  rollout: Rollout,
  rewards: Float32Array,
  s: GrpoUpdateSettings,
): void {
  grpoMinibatchUpdate(policy, reference, loss, [{ rollout, rewards }], s);
}
