// Stage 2, grounded GRPO (DESIGN.md §1): the same rollout, reference policy, loss and update as
// stage 1 (src/rl/grpo), with the reward of grounded execution instead of the trajectory
// reward: the first step of every sampled forecast is executed by the frozen grounder or the
// toolbox and pays 1 when it does what the oracle's next step does (reward.ts). One update
// takes a rollout batch of grpo.minibatches × promptsPerUpdate prompts, as stage 1 does:
//
//   prompts → per minibatch: rollout (KV-cache sampling) → execute first steps + score the
//   whole batch (CPU, grounder) → grpoMinibatchUpdate (per inner epoch, per minibatch:
//   advantages → forward → zero grads → backward → clip → AdamW) → one stats read
//
// The whole batch is sampled before the first step, so every later step is off-policy and the
// clipped ratio and clip fraction are real (with one minibatch and one epoch the ratio is 1).
//
// It starts from a stage-1 checkpoint (the full method) or from stage 0 ("stage 2 only"); the
// KL term holds it near whichever it started from.
import { streamRng } from '../data/streams';
import type { Prompt } from '../data/prompts';
import { LOSS_NORMALISATION } from '../grpo/stage1';
import { GREEDY } from '../grpo/evaluate';
import { GrpoLoss } from '../grpo/loss';
import { ReferencePolicy } from '../grpo/reference';
import { grpoUpdateSettings, sampleRolloutBatch } from '../grpo/rollout-batch';
import { grpoMinibatchUpdate } from '../grpo/update';
import type { Grounder } from '../agent/grounding';
import type { UpdateMetrics } from '../metrics';
import { Sampler, type SampleSettings } from '../model/sample';
import { STAGE } from '../stage-list';
import type { Evaluation, StageRunner, StageSetup, StepContext } from '../stage-types';
import { scoreGrounded } from './score';

export class Stage2Runner implements StageRunner {
  readonly sampler: Sampler;
  readonly reference: ReferencePolicy;
  readonly loss: GrpoLoss;
  private heldOut: Prompt[] | null = null;

  constructor(
    private readonly s: StageSetup,
    readonly grounder: Grounder,
  ) {
    const { be, planner, vocab, settings, start } = s;
    const B = settings.grpo.groupSize * settings.grpo.promptsPerUpdate;
    if (planner.B !== B)
      throw new Error(`stage 2: the planner holds B=${planner.B}, G × prompts per update = ${B}`);
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

  async step(ctx: StepContext): Promise<UpdateMetrics> {
    const { planner, vocab, settings, config, prompts: source } = this.s;
    const { groupSize: G, promptsPerUpdate, minibatches } = settings.grpo;
    const started = performance.now();
    const prompts = source.sample(
      streamRng(settings.run.seed, STAGE.grounded, ctx.update, 'data'),
      promptsPerUpdate * minibatches,
    );
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
    // The whole batch is scored at once (the grounder runs batched); row b belongs to prompt ⌊b/G⌋.
    const forecasts = sampled.flatMap((m) => m.rollout.forecasts);
    const scored = await scoreGrounded(
      vocab,
      forecasts,
      forecasts.map((_, b) => prompts[Math.floor(b / G)]),
      this.grounder,
      config.horizon,
      settings.reward.groundedFormatWeight,
    );
    const B = planner.B;
    const batches = sampled.map(({ rollout }, k) => ({
      rollout,
      rewards: scored.rewards.slice(k * B, (k + 1) * B),
    }));
    grpoMinibatchUpdate(
      planner,
      this.reference,
      this.loss,
      batches,
      grpoUpdateSettings(settings, LOSS_NORMALISATION, ctx.optimizer),
    );
    const stats = await this.loss.read();
    const seconds = (performance.now() - started) / 1000;
    const tokens = sampled.reduce((n, m) => n + m.rollout.tokens, 0);
    return {
      stage: STAGE.grounded,
      update: ctx.update,
      elapsed: ctx.elapsed(),
      loss: stats.loss,
      reward: scored.summary.reward,
      rewardComponents: scored.summary,
      rewardPerStep: [scored.summary.success],
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
   * Held-out grounded step success, first step executed as in training: of greedy forecasts
   * ('held-out') and of one sampled forecast per prompt at the training temperature from a
   * fixed stream ('held-out-sampled'), with the reward, format rate and GUI/tool success.
   */
  async evaluate(): Promise<Evaluation> {
    const { settings, prompts } = this.s;
    this.heldOut ??= prompts.heldOut(settings.run.evalSize);
    return {
      'held-out': await this.evaluateWith(GREEDY),
      'held-out-sampled': await this.evaluateWith(this.sampling),
    };
  }

  private async evaluateWith(sampling: SampleSettings): Promise<Record<string, number>> {
    const { planner, vocab, settings, config } = this.s;
    const heldOut = this.heldOut!;
    const B = planner.B;
    const rng = streamRng(settings.run.seed, STAGE.grounded, 0, 'eval');
    const sums: Record<string, number> = {};
    const counts: Record<string, number> = {};
    for (let from = 0; from < heldOut.length; from += B) {
      const chunk = heldOut.slice(from, from + B);
      const padded = [...chunk, ...Array<Prompt>(B - chunk.length).fill(chunk[0])];
      const s = await this.sampler.sample(
        padded.map((p) => p.encoded),
        sampling,
        rng,
      );
      const ids = chunk.map((_, b) => Array.from(s.ids.subarray(b * s.F, b * s.F + s.lengths[b])));
      const scored = await scoreGrounded(
        vocab,
        ids,
        chunk,
        this.grounder,
        config.horizon,
        settings.reward.groundedFormatWeight,
      );
      const gui = chunk.filter((p) => !p.tool).length;
      for (const [k, v] of Object.entries(scored.summary)) {
        const n =
          k === 'guiSuccess' ? gui : k === 'toolSuccess' ? chunk.length - gui : chunk.length;
        sums[k] = (sums[k] ?? 0) + v * n;
        counts[k] = (counts[k] ?? 0) + n;
      }
    }
    const out: Record<string, number> = { prompts: heldOut.length };
    for (const k of Object.keys(sums)) out[k] = sums[k] / Math.max(1, counts[k]);
    return out;
  }

  release(): void {
    this.sampler.release();
    this.reference.release();
    this.loss.release();
  }
}
