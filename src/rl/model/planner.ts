// The planner: a tiny multimodal decoder-only transformer (see config.ts for the sequence
// layout, params.ts for the parameters, forward.ts / backward.ts for the passes). This class
// owns the memory — one pool for parameters, gradients and AdamW moments, and the buffers of
// acts.ts for batch size B — and reads like llm.c's training step:
//
//   planner.writeBatch(batch);        // host arrays → input tensors
//   planner.forward();                // logits, per-token losses and logp, mean loss
//   planner.zeroGrad();
//   planner.backward();               // SFT: d(mean loss); or backwardLogp(dlogp) for GRPO
//   planner.clip(maxNorm);
//   planner.update(adamw);
//
// Nothing is allocated after construction; nothing waits on the device.
import type { AdamWSettings, Backend, Tensor } from '../../kernels/backend';
import type { Rng } from '../../rng';
import { allocBuffers, writeInputs, type Acts, type DActs, type Inputs } from './acts';
import { plannerBackward } from './backward';
import { modelDims, validateConfig, type ModelDims, type PlannerConfig } from './config';
import type { PlannerBatch } from './encode';
import {
  forecastRows,
  plannerForward,
  plannerForwardForecast,
  type ForecastRows,
  type PlannerCore,
} from './forward';
import type { Layout } from '../../kernels/layout';
import { initParams, paramLayout, paramViews, type ParamTensors } from './params';

/** AdamW settings without the step, which the planner counts itself. */
export type OptimizerSettings = Omit<AdamWSettings, 'step'>;

export const DEFAULT_OPTIMIZER: OptimizerSettings = {
  lr: 3e-4,
  beta1: 0.9,
  beta2: 0.95,
  eps: 1e-8,
  weightDecay: 0.0,
};

/** The four regions of the parameter pool as flat tensors (for the ops that see them all). */
export interface FlatRegions {
  params: Tensor;
  grads: Tensor;
  m: Tensor;
  v: Tensor;
}

export class Planner implements PlannerCore {
  readonly be: Backend;
  readonly config: PlannerConfig;
  readonly dims: ModelDims;
  readonly B: number;
  readonly layout: Layout;
  readonly params: ParamTensors;
  readonly grads: ParamTensors;
  readonly m: ParamTensors;
  readonly v: ParamTensors;
  readonly flat: FlatRegions;
  /** Parameter count (without alignment padding). */
  readonly numParams: number;
  readonly inputs: Inputs;
  readonly acts: Acts;
  readonly dacts: DActs;
  /** AdamW updates taken so far (the bias-correction step of the next one is step + 1). */
  step = 0;

  private readonly pools: Tensor[];
  /** Views of the forecast rows (forwardForecast), or null where views cannot (WebGPU). */
  readonly forecast: ForecastRows | null;
  private validTargets = 0;
  /** Whether the uploaded batch has targets on the forecast rows only (packBatch's layout). */
  private targetsOnForecastRows = false;

  /** A planner for batches of B sequences; parameters zero until init() or a checkpoint. */
  constructor(be: Backend, config: PlannerConfig, vocabSize: number, B: number) {
    if (!Number.isInteger(B) || B < 1) throw new Error(`Planner: B must be ≥ 1, got ${B}`);
    this.be = be;
    this.config = validateConfig(config);
    this.dims = modelDims(this.config, vocabSize);
    this.B = B;
    this.layout = paramLayout(this.dims);
    const R = this.layout.size;
    const pool = be.tensor([4 * R], 'f32', 'planner.params+grads+m+v');
    const region = (k: number, name: string) =>
      paramViews(be, this.layout, pool, k * R, name, this.dims.L);
    this.params = region(0, 'params');
    this.grads = region(1, 'grads');
    this.m = region(2, 'm');
    this.v = region(3, 'v');
    const flat = (k: number, name: string) => be.view(pool, k * R, [R], `${name}.all`);
    this.flat = {
      params: flat(0, 'params'),
      grads: flat(1, 'grads'),
      m: flat(2, 'm'),
      v: flat(3, 'v'),
    };
    this.numParams = this.layout.entries.reduce((n, e) => n + e.size, 0);
    const buffers = allocBuffers(be, this.dims, B);
    this.inputs = buffers.inputs;
    this.acts = buffers.acts;
    this.dacts = buffers.dacts;
    this.pools = [pool, ...buffers.pools];
    this.forecast = forecastRows(this);
  }

  /** GPT-2 initialisation from the seeded rng; zero moments and step. */
  init(rng: Rng): void {
    this.be.write(this.flat.params, initParams(this.layout, this.dims.L, rng));
    this.be.zero(this.flat.m);
    this.be.zero(this.flat.v);
    this.step = 0;
  }

  /** Uploads one batch (exactly B sequences, as packBatch makes them). */
  writeBatch(batch: PlannerBatch): void {
    const { be, inputs: x } = this;
    const { B } = this;
    const { T } = this.dims;
    if (batch.tokens.length !== B * T) {
      throw new Error(
        `Planner.writeBatch: batch holds ${batch.tokens.length / T} sequences of T=${T}, the planner was built for B=${B}`,
      );
    }
    writeInputs(be, x, batch);
    this.validTargets = batch.validTargets;
    this.targetsOnForecastRows = onForecastRows(batch.targets, B, this.dims);
    be.write(x.dlossMean, new Float32Array(B * T).fill(1 / Math.max(1, batch.validTargets)));
  }

  /** Logits, per-token losses and logp at the targets, and the mean loss (acts.loss). */
  forward(): void {
    plannerForward(this, this.validTargets);
  }

  /**
   * forward() for GRPO: logp and the loss as forward() gives them, bit for bit, with the head
   * on the forecast rows only (plannerForwardForecast: the prompt rows' logits and probs are
   * not refreshed). The full forward where the backend's views cannot do that (WebGPU).
   */
  forwardForecast(): void {
    if (this.forecast) plannerForwardForecast(this, this.forecast, this.validTargets);
    else this.forward();
  }

  zeroGrad(): void {
    this.be.zero(this.flat.grads);
  }

  /**
   * Accumulates d(mean SFT loss over forecast tokens) into the gradients (after forward or
   * forwardForecast; the head's input gradient on the forecast rows only, see plannerBackward).
   */
  backward(): void {
    plannerBackward(this, this.inputs.dlossMean, this.headRows());
  }

  /** The forecast rows, when the batch's targets all sit on them (else null: every row). */
  private headRows(): ForecastRows | null {
    return this.targetsOnForecastRows ? this.forecast : null;
  }

  /**
   * Accumulates the gradients of Σ dlogp(n) · logp(n) — dlogp (B·T) is d(objective)/d(logp
   * of each target token), as GRPO computes it; rows whose target is −1 contribute nothing.
   */
  backwardLogp(dlogp: Tensor): void {
    this.be.scale(this.dacts.dlosses, dlogp, -1);
    plannerBackward(this, this.dacts.dlosses, this.headRows());
  }

  /** acts.gradNorm = ‖grads‖₂; grads *= min(1, maxNorm / norm). */
  clip(maxNorm: number): void {
    this.be.l2Norm(this.acts.gradNorm, this.flat.grads);
    this.be.clipByNorm(this.flat.grads, this.acts.gradNorm, maxNorm);
  }

  /** One AdamW update of every parameter (decay applies to all: one flat op). */
  update(s: OptimizerSettings): void {
    this.step++;
    this.be.adamw(this.flat.params, this.flat.grads, this.flat.m, this.flat.v, {
      ...s,
      step: this.step,
    });
  }

  /**
   * One SFT step on an uploaded batch: forward (the head on the forecast rows where every
   * target sits there: the same loss and gradients, bit for bit), zero grads, backward, clip,
   * AdamW.
   */
  trainStep(s: OptimizerSettings, maxNorm: number): void {
    if (this.targetsOnForecastRows) this.forwardForecast();
    else this.forward();
    this.zeroGrad();
    this.backward();
    this.clip(maxNorm);
    this.update(s);
  }

  /** Host copies of one region, per tensor name (checkpoints, tests). */
  async readRegion(region: keyof FlatRegions): Promise<Map<string, Float32Array>> {
    const all = (await this.be.read(this.flat[region])) as Float32Array;
    const out = new Map<string, Float32Array>();
    for (const e of this.layout.entries) out.set(e.name, all.slice(e.offset, e.offset + e.size));
    return out;
  }

  /** Writes one region from per-tensor arrays (every tensor of the layout must be given). */
  writeRegion(region: keyof FlatRegions, tensors: Map<string, Float32Array>): void {
    const all = new Float32Array(this.layout.size);
    for (const e of this.layout.entries) {
      const t = tensors.get(e.name);
      if (!t) throw new Error(`Planner.writeRegion: ${region} lacks tensor '${e.name}'`);
      if (t.length !== e.size) {
        throw new Error(
          `Planner.writeRegion: ${region} tensor '${e.name}' has ${t.length} values, expected ${e.size}`,
        );
      }
      all.set(t, e.offset);
    }
    this.be.write(this.flat[region], all);
  }

  release(): void {
    for (const p of this.pools) this.be.release(p);
  }
}

/** True when every target (≥ 0) of targets (B, T) sits on a forecast row (P−1…T−1). */
function onForecastRows(targets: Int32Array, B: number, dims: ModelDims): boolean {
  const { T, P } = dims;
  for (let b = 0; b < B; b++) {
    for (let t = 0; t < P - 1; t++) if (targets[b * T + t] >= 0) return false;
  }
  return true;
}
