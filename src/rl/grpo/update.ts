// One GRPO optimisation on a scored rollout, shared by stage 1 (trajectory reward) and any
// stage that scores forecasts another way. Reads top to bottom; records only, never waits:
//
//   upload rewards, old logp, mask → advantages on the GPU → reference logp (frozen, once)
//   → per inner epoch: forward → token loss (+ stats) → zero grads → backward → clip → AdamW
//
// Epoch 0 runs the policy that sampled (ratio = 1 up to f32 rounding between the KV-cache and
// full forwards); later epochs reuse the same samples after a step, so ratio ≠ 1 and the clip
// matters. The caller reads the stats once with loss.read().
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

export function grpoUpdate(
  policy: Planner,
  reference: ReferencePolicy,
  loss: GrpoLoss,
  rollout: Rollout,
  rewards: Float32Array,
  s: GrpoUpdateSettings,
): void {
  loss.upload(rollout, rewards, s.normalisation);
  loss.advantages(rollout.G);
  const logpRef = reference.logp(rollout.batch);
  policy.writeBatch(rollout.batch);
  for (let epoch = 0; epoch < s.innerEpochs; epoch++) {
    policy.forward();
    if (epoch === 0) loss.entropy();
    loss.tokenLoss(logpRef, s);
    policy.zeroGrad();
    policy.backwardLogp(loss.dlogp);
    policy.clip(s.gradClip);
    loss.gradNorm();
    policy.update(s.optimizer);
  }
}
