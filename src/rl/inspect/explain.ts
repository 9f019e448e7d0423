// The GRPO explainer's numbers for ONE prompt: the planner samples a group of G forecasts,
// each is scored with the trajectory reward, the rewards are normalised within the group
// (the advantages, read back from the device), one GRPO update is taken with the very code
// of stage 1 (grpoUpdate), and every forecast's log-probability is measured before and after
// it with the same teacher-forced forward. By default the planner's weights, moments and
// step are put back afterwards, so explaining never changes the run.
//
//   sample G → score → logp before → grpoUpdate (advantages → forward → loss → backward →
//   clip → AdamW) → read advantages and stats → logp after → restore
import type { Rng } from '../../rng';
import { GrpoLoss, type GrpoStats } from '../grpo/loss';
import type { LossNormalisation } from '../grpo/math';
import { ReferencePolicy } from '../grpo/reference';
import { sampleGroups, type Rollout } from '../grpo/rollout';
import { scoreForecasts } from '../grpo/score';
import { grpoUpdate } from '../grpo/update';
import { parseForecast, planText, type PlanStep } from '../lang/action-language';
import type { Vocab } from '../../text/vocab';
import { captureCheckpoint, restoreCheckpoint, type CheckpointState } from '../model/checkpoint';
import type { EncodedPrompt } from '../model/encode';
import type { OptimizerSettings, Planner } from '../model/planner';
import { Sampler, type SampleSettings } from '../model/sample';
import type { RewardSettings } from '../reward/settings';
import type { RewardBreakdown } from '../reward/trajectory';

/** The policy to explain: a planner built for B = G and its vocabulary. */
export interface Policy {
  planner: Planner;
  vocab: Vocab;
}

export interface ExplainPrompt {
  encoded: EncodedPrompt;
  /** The reference forecast (the oracle's next H steps in the action language). */
  reference: readonly PlanStep[];
}

export interface ExplainSettings {
  sampling: SampleSettings;
  reward: RewardSettings;
  /** Forecast horizon the reward is computed over. */
  H: number;
  clipEps: number;
  /** KL coefficient β. */
  beta: number;
  innerEpochs: number;
  gradClip: number;
  normalisation: LossNormalisation;
  optimizer: OptimizerSettings;
  rng: Rng;
  /** Frozen reference policy of the KL term (default: the weights before the update). */
  reference?: CheckpointState;
  /** Put the weights back after measuring (default true). */
  restore?: boolean;
}

export interface ExplainedForecast {
  text: string;
  /** Format error messages of its parse (empty when clean). */
  errors: string[];
  /** Forecast tokens through <eos>. */
  tokens: number;
  reward: RewardBreakdown;
  advantage: number;
  /** Σ log p of its tokens under the policy, before and after the update. */
  logpBefore: number;
  logpAfter: number;
}

export interface GroupExplanation {
  G: number;
  forecasts: ExplainedForecast[];
  meanReward: number;
  /** Population standard deviation of the rewards (the advantages' denominator). */
  stdReward: number;
  stats: GrpoStats;
}

/** Σ_t logp of each row's forecast tokens, from the planner's last forward. */
async function sequenceLogp(planner: Planner, rollout: Rollout): Promise<number[]> {
  const { T, P } = planner.dims;
  const logp = (await planner.be.read(planner.acts.logp)) as Float32Array;
  return rollout.forecasts.map((f, b) => {
    let sum = 0;
    for (let j = 0; j < f.length; j++) sum += logp[b * T + P - 1 + j];
    return sum;
  });
}

export async function explainGroup(
  policy: Policy,
  prompt: ExplainPrompt,
  G: number,
  s: ExplainSettings,
): Promise<GroupExplanation> {
  const { planner, vocab } = policy;
  if (planner.B !== G)
    throw new Error(`explainGroup: the planner holds B=${planner.B}, the group size is G=${G}`);
  const before = await captureCheckpoint(planner, vocab, s.optimizer);
  const sampler = new Sampler(planner, vocab);
  const reference = new ReferencePolicy(planner.be, s.reference ?? before, G);
  const loss = new GrpoLoss(planner);
  try {
    const rollout = await sampleGroups(
      sampler,
      vocab,
      planner.dims,
      [prompt.encoded],
      G,
      s.sampling,
      s.rng,
    );
    const refs = rollout.forecasts.map(() => prompt.reference);
    const scored = scoreForecasts(vocab, rollout.readable, refs, s.reward, s.H);

    planner.writeBatch(rollout.batch);
    planner.forward();
    const logpBefore = await sequenceLogp(planner, rollout);

    grpoUpdate(planner, reference, loss, rollout, scored.rewards, s);
    const stats = await loss.read();
    const adv = (await planner.be.read(loss.adv)) as Float32Array;

    planner.writeBatch(rollout.batch);
    planner.forward();
    const logpAfter = await sequenceLogp(planner, rollout);

    const rewards = Array.from(scored.rewards);
    const meanReward = rewards.reduce((a, r) => a + r, 0) / G;
    const stdReward = Math.sqrt(rewards.reduce((a, r) => a + (r - meanReward) ** 2, 0) / G);
    const forecasts = rollout.forecasts.map((ids, b) => {
      const parsed = parseForecast(vocab, rollout.readable[b], { H: s.H });
      return {
        text: planText(parsed.steps),
        errors: parsed.errors.map((e) => e.message),
        tokens: ids.length,
        reward: scored.breakdowns[b],
        advantage: adv[b],
        logpBefore: logpBefore[b],
        logpAfter: logpAfter[b],
      };
    });
    return { G, forecasts, meanReward, stdReward, stats };
  } finally {
    if (s.restore !== false) restoreCheckpoint(planner, before);
    sampler.release();
    reference.release();
    loss.release();
  }
}
