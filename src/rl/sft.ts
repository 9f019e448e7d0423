// Stage 0, the supervised warm start (our stand-in for the paper's pretrained VLM):
// teacher-forced cross-entropy on the forecast tokens only (packBatch sets every prompt
// position's target to −1), on prompts sampled along oracle episodes of the training split.
// One update reads top to bottom:
//
//   writeBatch → forward → zeroGrad → backward → clip → update → read {loss, gradNorm}
//
// The single read per update is issued right after the update is recorded; while the device
// works, the host encodes the next update's batch, and only then awaits the read.
import type { Tensor } from '../kernels/backend';
import type {
  StageDefinition,
  StageRunner,
  StageSetup,
  StepContext,
  Evaluation,
} from './stage-types';
import { STAGE, STAGE_LIST } from './stage-list';
import { PromptSource, type Prompt } from './data/prompts';
import { streamRng } from './data/streams';
import type { UpdateMetrics } from './metrics';
import { packBatch, type PlannerBatch } from './model/encode';

/** Greedy-decoding accuracies measured under teacher forcing, from logits and targets. */
export interface ForecastScores {
  /** Forecast tokens whose argmax is the target. */
  tokensCorrect: number;
  tokens: number;
  /** Prompts whose first step's action type is argmax-correct. */
  firstTypeCorrect: number;
  /** Prompts whose whole first step (type, target, argument, status) is argmax-correct. */
  firstStepCorrect: number;
  /** Prompts whose whole forecast (through <eos>) is argmax-correct. */
  forecastCorrect: number;
}

/**
 * Scores one sequence: position P−1+j predicts target[j]. Under teacher forcing, every token of
 * a span being the argmax is exactly "greedy decoding writes that span", so firstStepCorrect is
 * the held-out next-step accuracy of the greedy planner, with no sampler needed.
 */
export function scoreForecast(
  logits: Float32Array,
  row: number,
  T: number,
  V: number,
  P: number,
  target: readonly number[],
  stepEnd: number,
  out: ForecastScores,
): void {
  let allRight = true;
  let firstRight = true;
  for (let j = 0; j < target.length && P - 1 + j < T; j++) {
    const base = (row * T + P - 1 + j) * V;
    let best = 0;
    for (let v = 1; v < V; v++) if (logits[base + v] > logits[base + best]) best = v;
    const right = best === target[j];
    if (j === 0 && right) out.firstTypeCorrect++;
    out.tokens++;
    if (right) out.tokensCorrect++;
    else {
      allRight = false;
      if (j < stepEnd) firstRight = false;
    }
  }
  if (firstRight) out.firstStepCorrect++;
  if (allRight) out.forecastCorrect++;
}

/** Floats per 256 bytes: the WebGPU alignment of a view's offset. */
const VIEW_ALIGN = 64;

class SftRunner implements StageRunner {
  private readonly metricsBuf: Tensor;
  private readonly lossSlot: Tensor;
  private readonly normSlot: Tensor;
  private prefetched: { update: number; batch: PlannerBatch } | null = null;
  private heldOut: Prompt[] | null = null;
  /** Training forecasts that packBatch had to cut (must stay 0). */
  private truncatedTrained = 0;

  constructor(private readonly s: StageSetup) {
    const { be } = s;
    // Two scalars read back together; WebGPU views start on 256-byte boundaries (64 floats).
    this.metricsBuf = be.tensor([2 * VIEW_ALIGN], 'f32', 'sft.metrics');
    this.lossSlot = be.view(this.metricsBuf, 0, [1], 'sft.metrics.loss');
    this.normSlot = be.view(this.metricsBuf, VIEW_ALIGN, [1], 'sft.metrics.gradNorm');
  }

  /** The batch of update n: B prompts drawn from that update's data stream. */
  private batchFor(update: number): PlannerBatch {
    if (this.prefetched?.update === update) return this.prefetched.batch;
    const { planner, prompts, settings } = this.s;
    const rng = streamRng(settings.run.seed, STAGE.sft, update, 'data');
    const examples = PromptSource.examples(prompts.sampleFitting(rng, planner.B));
    return packBatch(planner.dims, this.s.vocab, examples);
  }

  async step(ctx: StepContext): Promise<UpdateMetrics> {
    const { be, planner, settings } = this.s;
    const started = performance.now();
    const batch = this.batchFor(ctx.update);
    this.truncatedTrained += batch.truncated;
    planner.writeBatch(batch);
    planner.forwardForecast();
    planner.zeroGrad();
    planner.backward();
    planner.clip(settings.optimiser.gradClip);
    planner.update(ctx.optimizer);
    be.copy(this.lossSlot, planner.acts.loss);
    be.copy(this.normSlot, planner.acts.gradNorm);
    const read = be.read(this.metricsBuf);
    this.prefetched =
      ctx.update < ctx.updates
        ? { update: ctx.update + 1, batch: this.batchFor(ctx.update + 1) }
        : null;
    const values = await read;
    const loss = values[0];
    const gradNorm = values[VIEW_ALIGN];
    const seconds = (performance.now() - started) / 1000;
    return {
      stage: STAGE.sft,
      update: ctx.update,
      elapsed: ctx.elapsed(),
      loss,
      reward: NaN,
      rewardComponents: {},
      rewardPerStep: [],
      kl: NaN,
      entropy: NaN,
      clipFraction: NaN,
      gradNorm,
      learningRate: ctx.optimizer.lr,
      tokensPerSecond: (planner.B * planner.dims.T) / seconds,
      updatesPerSecond: 1 / seconds,
    };
  }

  /** Held-out teacher-forced loss, token accuracy and greedy next-type / next-step / forecast accuracy. */
  async evaluate(): Promise<Evaluation> {
    const { be, planner, prompts, settings, vocab } = this.s;
    const { B } = planner;
    const { T, V, P } = planner.dims;
    this.heldOut ??= prompts.heldOut(settings.run.evalSize);
    const all = this.heldOut;
    const sep = vocab.symbol('sep');
    const scores: ForecastScores = {
      tokensCorrect: 0,
      tokens: 0,
      firstTypeCorrect: 0,
      firstStepCorrect: 0,
      forecastCorrect: 0,
    };
    let lossSum = 0;
    for (let from = 0; from < all.length; from += B) {
      const chunk = all.slice(from, from + B);
      const padded = [...chunk, ...Array<Prompt>(B - chunk.length).fill(chunk[0])];
      planner.writeBatch(packBatch(planner.dims, vocab, PromptSource.examples(padded)));
      planner.forward();
      const losses = (await be.read(planner.acts.losses)) as Float32Array;
      const logits = (await be.read(planner.acts.logits)) as Float32Array;
      chunk.forEach((p, b) => {
        const ids = p.target.ids;
        for (let j = 0; j < ids.length && P - 1 + j < T; j++) lossSum += losses[b * T + P - 1 + j];
        const stepEnd = ids.findIndex((id) => id === sep || id === vocab.eos);
        scoreForecast(logits, b, T, V, P, ids, stepEnd, scores);
      });
    }
    return {
      'held-out': {
        loss: lossSum / Math.max(1, scores.tokens),
        tokenAccuracy: scores.tokensCorrect / Math.max(1, scores.tokens),
        nextTypeAccuracy: scores.firstTypeCorrect / all.length,
        nextStepAccuracy: scores.firstStepCorrect / all.length,
        forecastAccuracy: scores.forecastCorrect / all.length,
        prompts: all.length,
      },
      // Training targets longer than F are redrawn, never trained cut (0 with the default F).
      data: {
        truncatedTargetsTrained: this.truncatedTrained,
        truncatedTargetsRefused: prompts.truncatedRefused,
        heldOutTruncated: all.filter((p) => p.target.ids.length > planner.dims.F).length,
      },
    };
  }

  release(): void {
    this.s.be.release(this.metricsBuf);
  }
}

export const sftStage: StageDefinition = {
  stage: STAGE.sft,
  name: STAGE_LIST[STAGE.sft].title,
  batchSize: (settings) => settings.data.batchSize,
  create: (setup) => new SftRunner(setup),
};
