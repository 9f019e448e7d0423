// Stage 1, trajectory-level GRPO (DESIGN.md §1): the planner samples G forecasts per prompt,
// each is scored against the oracle's next H steps with the trajectory reward, and the policy
// moves toward the better ones of its group while a k3 KL term holds it near the frozen
// stage-0 weights. One update (grpo.minibatches × promptsPerUpdate prompts, the rollout batch):
//
//   prompts → per minibatch: rollout (KV-cache sampling) → score (CPU) → grpoMinibatchUpdate
//   (per inner epoch, per minibatch: advantages → forward → zero grads → backward → clip →
//   AdamW) → one stats read → UpdateMetrics
//
// The whole rollout batch is sampled before the first step, so every step after the first is
// off-policy and the clipped ratio does its job (clipFraction, ratioDeviation).
//
// Loss normalisation is per token (LOSS_NORMALISATION): every sampled forecast token weighs
// the same, so a long forecast is not favoured over a short one when its advantage is
// negative (with per-sequence means, a bad long forecast spreads its penalty thin).
//
// tokensPerSecond counts the forecast tokens sampled (through <eos>) per second of the whole
// update: the tokens the update learns from.
import { streamRng } from '../data/streams';
import type { Prompt } from '../data/prompts';
import type { UpdateMetrics } from '../metrics';
import { Sampler, type SampleSettings } from '../model/sample';
import { STAGE } from '../stage-list';
import type { Evaluation, StageRunner, StageSetup, StepContext } from '../stage-types';
import { evaluateForecasts, GREEDY, summaryMetrics } from './evaluate';
import { GrpoLoss } from './loss';
import type { LossNormalisation } from './math';
import { ReferencePolicy } from './reference';
import { grpoUpdateSettings, sampleRolloutBatch } from './rollout-batch';
import { scoreForecasts, summarizeRewards } from './score';
import { grpoMinibatchUpdate, type Minibatch } from './update';
import type { RewardBreakdown } from '../reward/trajectory';

export const LOSS_NORMALISATION: LossNormalisation = 'token';

export class Stage1Runner implements StageRunner {
  readonly sampler: Sampler;
  readonly reference: ReferencePolicy;
  readonly loss: GrpoLoss;
  private prefetched: { update: number; prompts: Prompt[] } | null = null;
  private heldOut: Prompt[] | null = null;

  constructor(
    private readonly s: StageSetup,
    private readonly normalisation: LossNormalisation = LOSS_NORMALISATION,
  ) {
    const { be, planner, vocab, settings, start } = s;
    const B = settings.grpo.groupSize * settings.grpo.promptsPerUpdate;
    if (planner.B !== B)
      throw new Error(`stage 1: the planner holds B=${planner.B}, G × prompts per update = ${B}`);
    this.sampler = new Sampler(planner, vocab, {
      groupSize: settings.grpo.groupSize,
      stopAtEos: true,
    });
    this.reference = new ReferencePolicy(be, start, B);
    this.loss = new GrpoLoss(planner);
  }

  private get sampling(): SampleSettings {
    return { temperature: this.s.settings.grpo.temperature, topP: this.s.settings.grpo.topP };
  }

  /** The prompts of update n, from that update's data stream. */
  private promptsFor(update: number): Prompt[] {
    if (this.prefetched?.update === update) return this.prefetched.prompts;
    const { prompts, settings } = this.s;
    const rng = streamRng(settings.run.seed, STAGE.trajectory, update, 'data');
    return prompts.sample(rng, settings.grpo.promptsPerUpdate * settings.grpo.minibatches);
  }

  async step(ctx: StepContext): Promise<UpdateMetrics> {
    const { planner, vocab, settings, config } = this.s;
    const { groupSize: G, promptsPerUpdate } = settings.grpo;
    const started = performance.now();
    const prompts = this.promptsFor(ctx.update);
    const sampled = await sampleRolloutBatch(
      this.sampler,
      vocab,
      planner.dims,
      prompts,
      promptsPerUpdate,
      G,
      this.sampling,
      ctx.rng('sample'),
    );
    const minibatches: Minibatch[] = [];
    const breakdowns: RewardBreakdown[] = [];
    let tokens = 0;
    for (const { prompts: chunk, rollout } of sampled) {
      const references = rollout.forecasts.map((_, b) => chunk[Math.floor(b / G)].target.steps);
      const scored = scoreForecasts(
        vocab,
        rollout.readable,
        references,
        settings.reward,
        config.horizon,
      );
      minibatches.push({ rollout, rewards: scored.rewards });
      breakdowns.push(...scored.breakdowns);
      tokens += rollout.tokens;
    }
    const summary = summarizeRewards(breakdowns, config.horizon);
    grpoMinibatchUpdate(
      planner,
      this.reference,
      this.loss,
      minibatches,
      grpoUpdateSettings(settings, this.normalisation, ctx.optimizer),
    );
    const read = this.loss.read();
    // While the device works, draw the next update's prompts.
    this.prefetched =
      ctx.update < ctx.updates
        ? { update: ctx.update + 1, prompts: this.promptsFor(ctx.update + 1) }
        : null;
    const stats = await read;
    const seconds = (performance.now() - started) / 1000;
    return {
      stage: STAGE.trajectory,
      update: ctx.update,
      elapsed: ctx.elapsed(),
      loss: stats.loss,
      reward: summary.reward,
      rewardComponents: summary.components,
      rewardPerStep: summary.perStep,
      kl: stats.kl,
      entropy: stats.entropy,
      clipFraction: stats.clipFraction,
      ratioDeviation: stats.ratioDeviation,
      gradNorm: stats.gradNorm,
      learningRate: ctx.optimizer.lr,
      tokensPerSecond: tokens / seconds,
      updatesPerSecond: 1 / seconds,
    };
  }

  /**
   * Held-out trajectory reward: greedy forecasts ('held-out') and one sampled forecast per
   * prompt at the training temperature from a fixed stream ('held-out-sampled'), each with
   * its components, reward@t and alignment@t.
   */
  async evaluate(): Promise<Evaluation> {
    const { planner, vocab, settings, prompts, config } = this.s;
    this.heldOut ??= prompts.heldOut(settings.run.evalSize);
    const run = (sampling: SampleSettings) =>
      evaluateForecasts(
        this.sampler,
        planner.B,
        vocab,
        this.heldOut!,
        sampling,
        streamRng(settings.run.seed, STAGE.trajectory, 0, 'eval'),
        settings.reward,
        config.horizon,
      );
    const greedy = await run(GREEDY);
    const sampled = await run(this.sampling);
    const n = { prompts: this.heldOut.length };
    return {
      'held-out': { ...summaryMetrics(greedy), ...n },
      'held-out-sampled': { ...summaryMetrics(sampled), ...n },
    };
  }

  release(): void {
    this.sampler.release();
    this.reference.release();
    this.loss.release();
  }
}
